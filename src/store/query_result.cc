#include "store/query_result.h"

#include <utility>

namespace mlcost::store {

QueryResult::QueryResult(QueryResult&& other) noexcept : result_(other.result_), valid_(other.valid_) {
  other.valid_ = false;
}

QueryResult& QueryResult::operator=(QueryResult&& other) noexcept {
  if (this != &other) {
    Reset();
    result_ = other.result_;
    valid_ = other.valid_;
    other.valid_ = false;
  }
  return *this;
}

QueryResult::~QueryResult() { Reset(); }

void QueryResult::Reset() {
  if (valid_) duckdb_destroy_result(&result_);
  valid_ = false;
}

uint64_t QueryResult::RowCount() { return duckdb_row_count(&result_); }
uint64_t QueryResult::ColumnCount() { return duckdb_column_count(&result_); }
std::string QueryResult::ColumnName(uint64_t col) {
  const char* name = duckdb_column_name(&result_, col);
  return name ? name : "";
}
uint64_t QueryResult::RowsChanged() { return duckdb_rows_changed(&result_); }

bool QueryResult::IsNull(uint64_t col, uint64_t row) { return duckdb_value_is_null(&result_, col, row); }

std::string QueryResult::GetString(uint64_t col, uint64_t row) {
  char* s = duckdb_value_varchar(&result_, col, row);
  if (s == nullptr) return "";
  std::string out(s);
  duckdb_free(s);
  return out;
}

std::optional<std::string> QueryResult::GetOptionalString(uint64_t col, uint64_t row) {
  if (IsNull(col, row)) return std::nullopt;
  return GetString(col, row);
}

int64_t QueryResult::GetInt64(uint64_t col, uint64_t row) { return duckdb_value_int64(&result_, col, row); }
double QueryResult::GetDouble(uint64_t col, uint64_t row) { return duckdb_value_double(&result_, col, row); }
bool QueryResult::GetBool(uint64_t col, uint64_t row) { return duckdb_value_boolean(&result_, col, row); }

Micros QueryResult::GetTimestamp(uint64_t col, uint64_t row) {
  return duckdb_value_timestamp(&result_, col, row).micros;
}

Decimal QueryResult::GetDecimal(uint64_t col, uint64_t row) {
  if (IsNull(col, row)) return Decimal();
  duckdb_decimal d = duckdb_value_decimal(&result_, col, row);
  int128 units = (static_cast<int128>(d.value.upper) << 64) | static_cast<int128>(d.value.lower);
  for (int s = d.scale; s < Decimal::kScale; ++s) units *= 10;
  // Round once: dividing by 10 per digit would round twice (1.49 -> 1.5 -> 2).
  if (d.scale > Decimal::kScale) {
    int128 divisor = 1;
    for (int s = d.scale; s > Decimal::kScale; --s) divisor *= 10;
    units = DivRoundHalfEven(units, divisor);
  }
  return Decimal::FromUnits(units);
}

}  // namespace mlcost::store
