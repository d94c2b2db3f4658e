// Daily cost series from the FOCUS `costs` table: one series per value of a scope (a column or a
// tag) and currency, summed exactly in DuckDB DECIMAL(38,12).
#ifndef MLCOST_COSTS_COST_SERIES_LOADER_H_
#define MLCOST_COSTS_COST_SERIES_LOADER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::costs {

// The money column a series sums.
enum class CostMetric { kEffective, kBilled, kList };

// "effective" / "effective_cost" (the default elsewhere), "billed" / "billed_cost", "list" /
// "list_cost". InvalidArgument naming the text and the choices otherwise.
Result<CostMetric> ParseCostMetric(std::string_view text);
// "effective_cost", "billed_cost" or "list_cost".
const char* CostMetricColumn(CostMetric metric);

// What a series is grouped by: one of kScopeColumns, "tag:KEY" (the value of tag KEY), or
// "total" (everything in one series).
struct Scope {
  std::string name;     // as given: "service_name", "tag:team", "total"
  std::string column;   // the column, empty for a tag or total
  std::string tag_key;  // for tag:KEY
};

// The columns a scope may name.
inline constexpr const char* kScopeColumns[] = {"service_name", "service_category", "sub_account_id",
                                                "billing_account_id", "region_id", "provider_name"};

// InvalidArgument naming the text and the choices for anything else (an empty tag key included).
Result<Scope> ParseScope(std::string_view text);

// The label of rows whose scope value is NULL or empty: they are reported, never dropped.
inline constexpr char kUnallocated[] = "unallocated";

struct SeriesQuery {
  Scope scope;
  CostMetric metric = CostMetric::kEffective;
  // Days [first_day, last_day], by the UTC day of charge_period_start.
  int64_t first_day = 0;
  int64_t last_day = 0;
  // Purchase and Tax rows (charge_category) are left out by default: an upfront commitment
  // purchase or a month's tax line is a planned, lumpy charge, not usage, and would be flagged as
  // an anomaly every month. Credits, adjustments and refunds stay in.
  bool include_purchase_and_tax = false;
};

struct CostSeries {
  std::string value;     // the scope's value (kUnallocated for NULL / empty)
  std::string currency;  // billing_currency ("" when NULL)
  int64_t first_day = 0;  // the day of daily[0]: the series' first day with a row in the range
  // One exact total per day from first_day through query.last_day; 0 for days without rows.
  std::vector<Decimal> daily;
};

// Series ordered by (value, currency). InvalidArgument when last_day < first_day; the store's
// error otherwise (e.g. no costs table).
Result<std::vector<CostSeries>> LoadDailySeries(store::Connection& conn, const SeriesQuery& query);

// The latest day with a cost row (any category), or empty when the table is empty.
Result<std::optional<int64_t>> LastCostDay(store::Connection& conn);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_COST_SERIES_LOADER_H_
