// Appender: owns a duckdb_appender, DuckDB's fast bulk-insert path. Rows are buffered and become
// part of the connection's current transaction on Flush() (or on destruction).
#ifndef MLCOST_STORE_APPENDER_H_
#define MLCOST_STORE_APPENDER_H_

#include <duckdb.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::store {

// Move-only; the Connection that made it must outlive it. Not thread-safe. The Append* calls
// return nothing: a failure is sticky and reported by EndRow()/Flush(), which name the table.
class Appender {
 public:
  Appender(duckdb_appender appender, std::string table) : appender_(appender), table_(std::move(table)) {}
  Appender(Appender&& other) noexcept;
  Appender& operator=(Appender&&) = delete;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  // Destroying an appender with unflushed rows flushes them; errors there are lost, so call
  // Flush() explicitly.
  ~Appender();

  void AppendInt64(int64_t v) { Track(duckdb_append_int64(appender_, v)); }
  void AppendDouble(double v) { Track(duckdb_append_double(appender_, v)); }
  void AppendBool(bool v) { Track(duckdb_append_bool(appender_, v)); }
  void AppendString(std::string_view v) { Track(duckdb_append_varchar_length(appender_, v.data(), v.size())); }
  void AppendTimestamp(Micros v) { Track(duckdb_append_timestamp(appender_, duckdb_timestamp{v})); }
  void AppendNull() { Track(duckdb_append_null(appender_)); }
  Status EndRow();
  Status Flush();

 private:
  void Track(duckdb_state s) { if (s != DuckDBSuccess) failed_ = true; }
  Status Error(const char* what);
  duckdb_appender appender_ = nullptr;
  std::string table_;
  bool failed_ = false;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_APPENDER_H_
