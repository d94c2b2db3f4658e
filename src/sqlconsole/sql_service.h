// SqlService: the read-only SQL console over the store (POST /api/v1/sql, `mlcost sql`) and the
// COPY that saved-query exports run. Each call opens its own DuckDB connection, so a long query
// never holds the tracking writer's connection or a pooled reader, and runs its statement in a
// READ ONLY transaction after StatementGuard allowed it (statement_guard.h explains the checks).
#ifndef MLCOST_SQLCONSOLE_SQL_SERVICE_H_
#define MLCOST_SQLCONSOLE_SQL_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::sqlconsole {

struct SqlLimits {
  // Wall-clock time a statement may run before it is interrupted. Default 30 s.
  int64_t timeout_ms = 30000;
  // Rows returned at most; more make the answer `truncated`. Default 10,000.
  int64_t max_rows = 10000;
};

struct SqlResult {
  nlohmann::json columns = nlohmann::json::array();  // [{"name": ..., "type": "DECIMAL(38,12)"}]
  nlohmann::json rows = nlohmann::json::array();     // arrays of encoded cells (result_encoder.h)
  bool truncated = false;                            // the statement had more than max_rows rows
};

enum class ExportFormat { kCsv, kParquet };

// True for the Status a statement stopped by its time limit gives (the API answers 408).
bool IsTimeout(const Status& status);

// Thread-safe: each call uses its own connection.
class SqlService {
 public:
  // `db` must outlive the service. `limits` are the defaults and the ceilings of a call's limits.
  // At most `max_concurrent` Query calls run at once (default 4), so console users cannot take
  // every core from the tracking writer; exports (CopyTo) are not counted.
  SqlService(store::Database& db, SqlLimits limits, int max_concurrent = 4)
      : db_(db), limits_(limits), max_concurrent_(max_concurrent) {}

  // Runs one read-only statement. Errors: InvalidArgument with DuckDB's message for bad SQL (and
  // for a result type the encoder refuses); PermissionDenied naming what is forbidden; a Status
  // that IsTimeout() recognises when the time limit interrupted it; ResourceExhausted when
  // max_concurrent queries are running already; Internal for DuckDB failures.
  // `limits` values <= 0 take the defaults; larger than the defaults are lowered to them.
  Result<SqlResult> Query(std::string_view sql, SqlLimits limits = {0, 0});

  // Checks `sql` as Query would (guard, then DuckDB binds it) without running it; for saved
  // queries, so a bad one is refused when it is saved. Errors as Query's.
  Status Check(std::string_view sql);

  // Writes the rows of `sql` (checked exactly as Query's) to `path` with DuckDB's COPY ... TO,
  // within the default time limit; returns the number of rows written. `path` is trusted: the
  // caller confines it (query_exporter.h). Errors as Query's.
  Result<int64_t> CopyTo(std::string_view sql, const std::string& path, ExportFormat format);

  const SqlLimits& limits() const { return limits_; }

 private:
  SqlLimits Effective(SqlLimits requested) const;
  store::Database& db_;
  const SqlLimits limits_;
  const int max_concurrent_;
  std::atomic<int> running_{0};
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_SQL_SERVICE_H_
