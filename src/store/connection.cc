#include "store/connection.h"

#include <string>

namespace mlcost::store {

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) duckdb_disconnect(&conn_);
    conn_ = other.conn_;
    other.conn_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) duckdb_disconnect(&conn_);
}

Status Connection::Execute(std::string_view sql) {
  ASSIGN_OR_RETURN(QueryResult r, Query(sql));
  (void)r;
  return Status::Ok();
}

Result<QueryResult> Connection::Query(std::string_view sql) {
  std::string text(sql);
  duckdb_result result;
  if (duckdb_query(conn_, text.c_str(), &result) != DuckDBSuccess) {
    const char* err = duckdb_result_error(&result);
    Status s = StatusFromDuckDbError(err ? err : "unknown DuckDB error");
    duckdb_destroy_result(&result);
    return s;
  }
  return QueryResult(result);
}

Result<PreparedStatement> Connection::Prepare(std::string_view sql) {
  std::string text(sql);
  duckdb_prepared_statement stmt = nullptr;
  if (duckdb_prepare(conn_, text.c_str(), &stmt) != DuckDBSuccess) {
    const char* err = duckdb_prepare_error(stmt);
    Status s = StatusFromDuckDbError(err ? err : "unknown DuckDB error");
    duckdb_destroy_prepare(&stmt);
    return s;
  }
  return PreparedStatement(stmt);
}

Result<Appender> Connection::MakeAppender(const std::string& table) {
  duckdb_appender appender = nullptr;
  if (duckdb_appender_create(conn_, nullptr, table.c_str(), &appender) != DuckDBSuccess) {
    const char* err = duckdb_appender_error(appender);
    Status s = StatusFromDuckDbError(err ? err : "cannot create appender");
    duckdb_appender_destroy(&appender);
    return s.WithContext("appender on " + table);
  }
  return Appender(appender, table);
}

void Connection::Rollback() {
  duckdb_result result;
  duckdb_query(conn_, "ROLLBACK", &result);
  duckdb_destroy_result(&result);
}

}  // namespace mlcost::store
