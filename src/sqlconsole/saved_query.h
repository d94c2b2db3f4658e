// SavedQuery: a named SELECT that the server exports to a file, on demand or on a schedule, for a
// BI tool to read (docs/sql.md). Parsing and validating its fields is pure and unit-tested.
#ifndef MLCOST_SQLCONSOLE_SAVED_QUERY_H_
#define MLCOST_SQLCONSOLE_SAVED_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "mlcost/status.h"
#include "sqlconsole/sql_service.h"

namespace mlcost::sqlconsole {

inline constexpr int64_t kMinIntervalSeconds = 60;
inline constexpr int64_t kMaxIntervalSeconds = 366 * 86400;

struct SavedQuery {
  std::string name;  // [A-Za-z0-9_-], 1..64 characters: also the output file's stem
  std::string sql;   // one SELECT, checked like the console's
  ExportFormat format = ExportFormat::kCsv;
  std::string output_dir;                   // relative to the server's export root; "" = the root itself
  std::optional<int64_t> interval_seconds;  // none = only on demand (POST .../run)
  Micros created_at = 0;
  std::optional<Micros> next_run_at;  // when the scheduler runs it next; none without interval
  std::optional<Micros> last_run_at;
  std::string last_status;  // "" (never run), "ok" or "error"
  std::optional<int64_t> last_row_count;
  std::string last_error;
  std::string last_output;  // the file written, under the export root
};

// InvalidArgument unless `name` is 1..64 of [A-Za-z0-9_-] (it names a file).
Status ValidateQueryName(std::string_view name);

// "csv" or "parquet" (any case); InvalidArgument naming the value otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view text);
std::string_view ExportFormatName(ExportFormat format);  // "csv" | "parquet"

// Seconds between runs from "90s", "15m", "1h", "1d", "2w", "every 5 minutes", "every hour",
// "every 2 days", "hourly", "daily", "weekly". InvalidArgument naming the text when it is none of
// those or lies outside [kMinIntervalSeconds, kMaxIntervalSeconds].
Result<int64_t> ParseInterval(std::string_view text);

// InvalidArgument unless `dir` is "" or a relative path of [A-Za-z0-9_.-] components separated
// by '/', none of them "." or ".." and none starting with '.', at most 256 characters.
Status ValidateOutputDir(std::string_view dir);

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_SAVED_QUERY_H_
