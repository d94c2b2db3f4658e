// The FOCUS columns of the `costs` table (store/schema.cc, migration 3) with their types: what
// every mapping fills and what the validation rules read.
#ifndef MLCOST_BILLING_COST_COLUMNS_H_
#define MLCOST_BILLING_COST_COLUMNS_H_

#include <string_view>
#include <vector>

namespace mlcost::billing {

enum class ColumnType { kString, kDecimal, kTimestamp, kTags };

struct CostColumn {
  std::string_view name;  // snake_case FOCUS name, e.g. "billed_cost"
  ColumnType type;
};

// The 57 FOCUS 1.2 columns in the table's order (the x_ provenance columns are not listed).
const std::vector<CostColumn>& CostColumns();

// The DuckDB type of a column of `type`: VARCHAR, DECIMAL(38,12), TIMESTAMP, MAP(VARCHAR, VARCHAR).
std::string_view SqlType(ColumnType type);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_COST_COLUMNS_H_
