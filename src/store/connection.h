// Connection: owns a duckdb_connection. Each thread uses its own Connection.
#ifndef MLCOST_STORE_CONNECTION_H_
#define MLCOST_STORE_CONNECTION_H_

#include <duckdb.h>

#include <string>
#include <string_view>

#include "mlcost/status.h"
#include "store/appender.h"
#include "store/prepared_statement.h"
#include "store/query_result.h"

namespace mlcost::store {

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
