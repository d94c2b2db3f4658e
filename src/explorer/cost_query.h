// CostQuery: what GET /api/v1/costs and `mlcost costs` ask for (docs/costs.md), parsed from
// plain strings so the rules are unit-tested without HTTP. Identifiers are checked against the
// costs table's real column list; values stay values (bound parameters, see query_builder.h).
#ifndef MLCOST_EXPLORER_COST_QUERY_H_
#define MLCOST_EXPLORER_COST_QUERY_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::explorer {

// The allocation dimensions, evaluated by allocation rules (allocation_rule.h).
inline constexpr const char* kAllocationDimensions[] = {"team", "user", "project", "model"};
// What allocation rules yield for a cost line no rule claims.
inline constexpr char kUnallocated[] = "unallocated";
// The label of the row top=N folds the remaining groups into.
inline constexpr char kOther[] = "other";

bool IsAllocationDimension(std::string_view name);

struct Dimension {
  enum class Kind { kColumn, kTag, kAllocation };
  Kind kind = Kind::kColumn;
  // The column name, the tag key, or team / user / project / model.
  std::string name;
  // How it is spelled in requests and responses: "service_name", "tag:env", "team".
  std::string Label() const;
  bool operator==(const Dimension&) const = default;
};

// Parses a group_by / filter dimension: "tag:KEY" (KEY non-empty), an allocation dimension, or a
// VARCHAR column of the costs table listed in `columns`. InvalidArgument naming the text and
// what is allowed otherwise.
Result<Dimension> ParseDimension(std::string_view text, const std::set<std::string>& columns);

enum class Granularity { kNone, kHour, kDay, kWeek, kMonth };
enum class CostMetric { kBilled, kEffective, kList, kContracted };

// "none" | "hour" | "day" | "week" | "month".
std::string_view GranularityName(Granularity g);
// "billed" | "effective" | "list" | "contracted".
std::string_view MetricName(CostMetric m);
// The costs column summed for `m`: billed_cost, effective_cost, list_cost, contracted_cost.
std::string_view MetricColumn(CostMetric m);
// One sentence saying what `m` means (billed = invoiced, effective = amortized, ...).
std::string_view MetricBasis(CostMetric m);

// A line matches when its dimension value equals one of `values` (OR); an empty value matches a
// NULL (absent) value. Filters on different dimensions combine with AND.
struct DimensionFilter {
  Dimension dimension;
  std::vector<std::string> values;
};

struct CostQuery {
  std::vector<Dimension> group_by;  // in order; no duplicates
  Granularity granularity = Granularity::kDay;
  CostMetric metric = CostMetric::kBilled;
  std::vector<DimensionFilter> filters;  // one per dimension
  std::optional<Micros> since;           // charge_period_start >= since
  std::optional<Micros> until;           // charge_period_start < until
  int64_t top = 0;                       // 0 = every group
};

// The request as text. Each group_by entry may hold several comma-separated dimensions; each
// filter is "DIM:VALUE" or "DIM=VALUE" (tag filters "tag:KEY:VALUE" or "tag:KEY=VALUE"; use '='
// when the key holds ':').
struct CostQueryText {
  std::vector<std::string> group_by;
  std::string granularity;  // "" = day
  std::string metric;       // "" = billed
  std::vector<std::string> filters;
  std::string since;  // "" = unbounded; ISO 8601
  std::string until;
  std::string top;  // "" = 0
};

// Largest top=N and most group_by dimensions accepted.
inline constexpr int64_t kMaxTop = 10000;
inline constexpr size_t kMaxGroupBy = 8;

// Parses and validates `text`. InvalidArgument naming the parameter and the bad value.
Result<CostQuery> ParseCostQuery(const CostQueryText& text, const std::set<std::string>& columns);

// Parses one filter into (dimension, value). Exposed for tests.
Result<std::pair<Dimension, std::string>> ParseFilter(std::string_view text, const std::set<std::string>& columns);

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_COST_QUERY_H_
