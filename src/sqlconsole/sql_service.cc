#include "sqlconsole/sql_service.h"

#include <duckdb.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "sqlconsole/query_deadline.h"
#include "sqlconsole/result_encoder.h"
#include "sqlconsole/statement_guard.h"
#include "store/sql_text.h"

namespace mlcost::sqlconsole {
namespace {

constexpr std::string_view kTimeoutPrefix = "query stopped: it ran longer than the time limit";

Status Timeout(int64_t timeout_ms) {
  return InvalidArgument(std::string(kTimeoutPrefix) + " of " + std::to_string(timeout_ms) +
                         " ms (narrow it, or aggregate before reading rows)");
}

// A DuckDB error on a user's statement is the user's to fix (400), unless DuckDB says it broke.
Status UserSqlError(const char* message) {
  std::string m = message != nullptr ? message : "unknown DuckDB error";
  if (m.rfind("INTERNAL Error", 0) == 0 || m.rfind("FATAL Error", 0) == 0) return Internal(m);
  return InvalidArgument(m);
}

// Owns a prepared statement.
struct Prepared {
  duckdb_prepared_statement stmt = nullptr;
  ~Prepared() { duckdb_destroy_prepare(&stmt); }
};

// Owns a result.
struct OwnedResult {
  duckdb_result result{};
  bool valid = false;
  ~OwnedResult() {
    if (valid) duckdb_destroy_result(&result);
  }
};

Result<Prepared*> PrepareChecked(store::Connection& conn, const std::string& text, Prepared& prepared) {
  if (duckdb_prepare(conn.raw(), text.c_str(), &prepared.stmt) != DuckDBSuccess) {
    return UserSqlError(duckdb_prepare_error(prepared.stmt));
  }
  return &prepared;
}

std::string StripTrailingSemicolons(std::string text) {
  while (!text.empty() && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back())))) {
    text.pop_back();
  }
  return text;
}

}  // namespace

bool IsTimeout(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument && status.message().rfind(kTimeoutPrefix, 0) == 0;
}

SqlLimits SqlService::Effective(SqlLimits requested) const {
  SqlLimits out = limits_;
  if (requested.timeout_ms > 0) out.timeout_ms = std::min(requested.timeout_ms, limits_.timeout_ms);
  if (requested.max_rows > 0) out.max_rows = std::min(requested.max_rows, limits_.max_rows);
  return out;
}

Result<SqlResult> SqlService::Query(std::string_view sql, SqlLimits requested) {
  struct Slot {
    std::atomic<int>& running;
    ~Slot() { running.fetch_sub(1); }
  };
  if (running_.fetch_add(1) >= max_concurrent_) {
    running_.fetch_sub(1);
    return ResourceExhausted(std::to_string(max_concurrent_) +
                             " SQL queries are running already (the limit); try again when one ends");
  }
  Slot slot{running_};
  const SqlLimits limits = Effective(requested);
  const std::string text(sql);
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  RETURN_IF_ERROR(CheckStatement(conn, text));
  RETURN_IF_ERROR(conn.Execute("BEGIN TRANSACTION READ ONLY"));

  SqlResult out;
  Status status;
  bool fired = false;
  {
    QueryDeadline deadline(conn.raw(), std::chrono::milliseconds(limits.timeout_ms));
    status = [&]() -> Status {
      Prepared prepared;
      RETURN_IF_ERROR(PrepareChecked(conn, text, prepared).status());
      if (duckdb_prepared_statement_type(prepared.stmt) != DUCKDB_STATEMENT_TYPE_SELECT) {
        return Status(StatusCode::kPermissionDenied,
                      "forbidden in the SQL console: a statement other than SELECT");
      }
      if (duckdb_nparams(prepared.stmt) != 0) {
        return InvalidArgument(
            "the SQL console takes no parameters ($1, ?): write the values into the query");
      }
      const idx_t columns = duckdb_prepared_statement_column_count(prepared.stmt);
      for (idx_t c = 0; c < columns; ++c) {
        duckdb_logical_type type = duckdb_prepared_statement_column_logical_type(prepared.stmt, c);
        const char* name = duckdb_prepared_statement_column_name(prepared.stmt, c);
        out.columns.push_back({{"name", name != nullptr ? name : ""}, {"type", TypeName(type)}});
        Status encodable = CheckEncodable(type);
        duckdb_destroy_logical_type(&type);
        if (!encodable.ok()) {
          return InvalidArgument("column '" + out.columns.back()["name"].get<std::string>() +
                                 "': " + encodable.message());
        }
      }
      duckdb_pending_result pending = nullptr;
      if (duckdb_pending_prepared_streaming(prepared.stmt, &pending) != DuckDBSuccess) {
        Status s = UserSqlError(duckdb_pending_error(pending));
        duckdb_destroy_pending(&pending);
        return s;
      }
      OwnedResult result;
      duckdb_state state = duckdb_execute_pending(pending, &result.result);
      duckdb_destroy_pending(&pending);
      result.valid = true;
      if (state != DuckDBSuccess) return UserSqlError(duckdb_result_error(&result.result));
      const size_t max_rows = static_cast<size_t>(limits.max_rows);
      size_t taken = 0;
      while (true) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(result.result);
        if (chunk == nullptr) break;
        const size_t size = duckdb_data_chunk_get_size(chunk);
        size_t added = 0;
        if (size > 0 && taken < max_rows) added = AppendRows(chunk, max_rows - taken, out.rows);
        duckdb_destroy_data_chunk(&chunk);
        taken += added;
        if (added < size) {
          out.truncated = true;  // rows left over: stop reading, DuckDB stops producing
          break;
        }
      }
      if (const char* err = duckdb_result_error(&result.result); err != nullptr) return UserSqlError(err);
      return Status::Ok();
    }();
    fired = deadline.fired();
  }
  conn.Rollback();
  if (!status.ok()) {
    if (fired && status.code() != StatusCode::kPermissionDenied) return Timeout(limits.timeout_ms);
    return status;
  }
  return out;
}

Status SqlService::Check(std::string_view sql) {
  const std::string text = StripTrailingSemicolons(std::string(sql));
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  RETURN_IF_ERROR(CheckStatement(conn, text));
  RETURN_IF_ERROR(conn.Execute("BEGIN TRANSACTION READ ONLY"));
  Status status;
  {
    QueryDeadline deadline(conn.raw(), std::chrono::milliseconds(limits_.timeout_ms));
    Prepared prepared;
    status = PrepareChecked(conn, text, prepared).status();
  }
  conn.Rollback();
  return status;
}

Result<int64_t> SqlService::CopyTo(std::string_view sql, const std::string& path, ExportFormat format) {
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  const std::string select = StripTrailingSemicolons(std::string(sql));
  RETURN_IF_ERROR(CheckStatement(conn, select));
  // The checked text parses alone as one complete SELECT, so inside "( ... )" on lines of its own
  // its tokens end where it ends: it cannot close the parenthesis or add options.
  const std::string copy = "COPY (\n" + select + "\n) TO " + store::QuoteLiteral(path) + " (FORMAT " +
                           (format == ExportFormat::kParquet ? "parquet" : "csv, HEADER true") + ")";
  duckdb_extracted_statements extracted = nullptr;
  idx_t count = duckdb_extract_statements(conn.raw(), copy.c_str(), &extracted);
  duckdb_destroy_extracted(&extracted);
  if (count != 1) return Internal("the export statement did not parse as one COPY");
  RETURN_IF_ERROR(conn.Execute("BEGIN TRANSACTION READ ONLY"));
  Result<int64_t> rows = Internal("not run");
  bool fired = false;
  {
    QueryDeadline deadline(conn.raw(), std::chrono::milliseconds(limits_.timeout_ms));
    rows = [&]() -> Result<int64_t> {
      Prepared prepared;
      RETURN_IF_ERROR(PrepareChecked(conn, copy, prepared).status());
      if (duckdb_prepared_statement_type(prepared.stmt) != DUCKDB_STATEMENT_TYPE_COPY) {
        return Internal("the export statement is not a COPY");
      }
      OwnedResult result;
      duckdb_state state = duckdb_execute_prepared(prepared.stmt, &result.result);
      result.valid = true;
      if (state != DuckDBSuccess) return UserSqlError(duckdb_result_error(&result.result));
      return duckdb_value_int64(&result.result, 0, 0);
    }();
    fired = deadline.fired();
  }
  conn.Rollback();
  if (!rows.ok() && fired) return Timeout(limits_.timeout_ms);
  return rows;
}

}  // namespace mlcost::sqlconsole
