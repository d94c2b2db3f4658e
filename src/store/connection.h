// Connection: owns a duckdb_connection. Each thread uses its own Connection.
#ifndef MLCOST_STORE_CONNECTION_H_
#define MLCOST_STORE_CONNECTION_H_

#include <duckdb.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/time_util.h"
#include "mlcost/status.h"
#include "store/appender.h"
#include "store/prepared_statement.h"
#include "store/query_result.h"

namespace mlcost::store {

// A TIMESTAMP parameter for Connection::Run (plain integers bind as BIGINT).
struct Timestamp {
  Micros micros;
};

// Binds one Connection::Run argument: strings (VARCHAR), bool, integers (BIGINT), doubles,
// Timestamp, std::optional<std::string> / std::optional<Timestamp> (NULL when empty), nullptr.
template <typename T>
Status BindArg(PreparedStatement& stmt, uint64_t index, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return stmt.BindBool(index, value);
  } else if constexpr (std::is_integral_v<T>) {
    return stmt.BindInt64(index, static_cast<int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    return stmt.BindDouble(index, value);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return stmt.BindTimestamp(index, value.micros);
  } else if constexpr (std::is_same_v<T, std::optional<Timestamp>>) {
    return value ? stmt.BindTimestamp(index, value->micros) : stmt.BindNull(index);
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    return stmt.BindOptionalString(index, value);
  } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
    return stmt.BindNull(index);
  } else {
    return stmt.BindString(index, std::string_view(value));
  }
}

// Move-only; the Database must outlive it. Not thread-safe: one thread at a time.
class Connection {
 public:
  explicit Connection(duckdb_connection conn) : conn_(conn) {}
  Connection(Connection&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements with no parameters and discards any rows.
  Status Execute(std::string_view sql);
  // Runs one statement and returns its rows.
  Result<QueryResult> Query(std::string_view sql);
  // Prepares one statement with `?` or `$n` parameters.
  Result<PreparedStatement> Prepare(std::string_view sql);
  // Prepares `sql`, binds `args` to its parameters in order (see BindArg) and runs it.
  template <typename... Args>
  Result<QueryResult> Run(std::string_view sql, const Args&... args) {
    ASSIGN_OR_RETURN(PreparedStatement stmt, Prepare(sql));
    Status status;
    uint64_t index = 1;
    ((status = status.ok() ? BindArg(stmt, index++, args) : status), ...);
    RETURN_IF_ERROR(status);
    return stmt.Execute();
  }
  // Run() for statements whose rows are not needed.
  template <typename... Args>
  Status Exec(std::string_view sql, const Args&... args) {
    return Run(sql, args...).status();
  }
  // An appender on main.<table>.
  Result<Appender> MakeAppender(const std::string& table);

  Status Begin() { return Execute("BEGIN TRANSACTION"); }
  Status Commit() { return Execute("COMMIT"); }
  // Rolls back; safe to call when no transaction is open.
  void Rollback();

  duckdb_connection raw() { return conn_; }

 private:
  duckdb_connection conn_ = nullptr;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_CONNECTION_H_
