// QueryExporter: writes a saved query's rows to <export root>/<output_dir>/<name>.<csv|parquet>,
// atomically (DuckDB's COPY writes a hidden temporary file in the same folder, then it is renamed
// over the old one), so a BI tool reading the folder never sees a half-written file. Paths come
// only from validated names (saved_query.h) under a root fixed at start-up (`--export-dir`); a
// folder that resolves outside the root through a symbolic link is refused.
#ifndef MLCOST_SQLCONSOLE_QUERY_EXPORTER_H_
#define MLCOST_SQLCONSOLE_QUERY_EXPORTER_H_

#include <string>

#include "mlcost/status.h"
#include "sqlconsole/saved_query.h"
#include "sqlconsole/sql_service.h"

namespace mlcost::sqlconsole {

struct ExportOutcome {
  std::string path;  // relative to the export root, e.g. "bi/daily_costs.parquet"
  int64_t rows = 0;
};

// Thread-safe as far as SqlService is; two exports of one query must not run at once (the
// scheduler serialises them).
class QueryExporter {
 public:
  // `sql` must outlive the exporter. Creates `root` if missing; Internal if it cannot.
  static Result<std::unique_ptr<QueryExporter>> Open(SqlService& sql, const std::string& root);

  // Runs `query` and replaces its output file. Errors: SqlService's (bad or forbidden SQL,
  // timeout), InvalidArgument for a bad output_dir, PermissionDenied when the folder resolves
  // outside the root, Internal for file-system failures. On error the old file is left as it was.
  Result<ExportOutcome> Export(const SavedQuery& query);

  const std::string& root() const { return root_; }

 private:
  QueryExporter(SqlService& sql, std::string root) : sql_(sql), root_(std::move(root)) {}
  SqlService& sql_;
  const std::string root_;  // canonical
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_QUERY_EXPORTER_H_
