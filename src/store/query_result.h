// QueryResult: owns a materialised duckdb_result and reads cells by (column, row).
#ifndef MLCOST_STORE_QUERY_RESULT_H_
#define MLCOST_STORE_QUERY_RESULT_H_

#include <duckdb.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/decimal.h"
#include "common/time_util.h"

namespace mlcost::store {

// Move-only. Cell getters on a NULL cell return the type's zero; check IsNull() first where NULL
// matters. Not thread-safe.
class QueryResult {
 public:
  explicit QueryResult(duckdb_result result) : result_(result), valid_(true) {}
  QueryResult(QueryResult&& other) noexcept;
  QueryResult& operator=(QueryResult&& other) noexcept;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult();

  uint64_t RowCount();
  uint64_t ColumnCount();
  std::string ColumnName(uint64_t col);
  // Rows inserted, updated or deleted by a DML statement.
  uint64_t RowsChanged();

  bool IsNull(uint64_t col, uint64_t row);
  std::string GetString(uint64_t col, uint64_t row);
  std::optional<std::string> GetOptionalString(uint64_t col, uint64_t row);
  int64_t GetInt64(uint64_t col, uint64_t row);
  double GetDouble(uint64_t col, uint64_t row);
  bool GetBool(uint64_t col, uint64_t row);
  // A TIMESTAMP cell as microseconds since the epoch.
  Micros GetTimestamp(uint64_t col, uint64_t row);
  // A DECIMAL cell of any width/scale, rescaled exactly to Decimal's 12 digits.
  Decimal GetDecimal(uint64_t col, uint64_t row);

 private:
  void Reset();
  duckdb_result result_{};
  bool valid_ = false;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_QUERY_RESULT_H_
