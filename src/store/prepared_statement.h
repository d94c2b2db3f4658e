// PreparedStatement: owns a duckdb_prepared_statement; binds parameters by 1-based index.
#ifndef MLCOST_STORE_PREPARED_STATEMENT_H_
#define MLCOST_STORE_PREPARED_STATEMENT_H_

#include <duckdb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "common/time_util.h"
#include "mlcost/status.h"
#include "store/query_result.h"

namespace mlcost::store {

// Move-only; bound to the Connection that prepared it, which must outlive it. Not thread-safe.
// Bind* return InvalidArgument when the index is out of range or the value does not fit.
class PreparedStatement {
 public:
  explicit PreparedStatement(duckdb_prepared_statement stmt) : stmt_(stmt) {}
  PreparedStatement(PreparedStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  PreparedStatement& operator=(PreparedStatement&& other) noexcept;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  ~PreparedStatement();

  Status BindInt64(uint64_t index, int64_t value);
  Status BindDouble(uint64_t index, double value);
  Status BindBool(uint64_t index, bool value);
  Status BindString(uint64_t index, std::string_view value);
  Status BindOptionalString(uint64_t index, const std::optional<std::string>& value);
  Status BindTimestamp(uint64_t index, Micros value);
  Status BindDecimal(uint64_t index, Decimal value);
  Status BindNull(uint64_t index);
  // A LIST parameter (VARCHAR[], DOUBLE[], BIGINT[]): a whole column of rows in one bind, for
  // statements like INSERT ... SELECT unnest(?), unnest(?).
  Status BindStringList(uint64_t index, const std::vector<std::string_view>& values);
  Status BindDoubleList(uint64_t index, const std::vector<double>& values);
  Status BindInt64List(uint64_t index, const std::vector<int64_t>& values);
  Status ClearBindings();

  // Runs the statement. InvalidArgument / Conflict / Internal with DuckDB's message on failure.
  Result<QueryResult> Execute();

 private:
  Status Check(duckdb_state state, uint64_t index);
  // Binds a list of `type` built from `items`; takes ownership of (destroys) the items.
  Status BindList(uint64_t index, duckdb_type type, std::vector<duckdb_value>& items);
  duckdb_prepared_statement stmt_ = nullptr;
};

// Maps a DuckDB error message to a Status: constraint violations become Conflict, conversion
// and binder errors InvalidArgument, everything else Internal.
Status StatusFromDuckDbError(std::string_view message);

}  // namespace mlcost::store

#endif  // MLCOST_STORE_PREPARED_STATEMENT_H_
