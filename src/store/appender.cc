#include "store/appender.h"

#include "store/prepared_statement.h"

namespace mlcost::store {

Appender::Appender(Appender&& other) noexcept
    : appender_(other.appender_), table_(std::move(other.table_)), failed_(other.failed_) {
  other.appender_ = nullptr;
}

Appender::~Appender() {
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

Status Appender::Error(const char* what) {
  const char* err = duckdb_appender_error(appender_);
  return StatusFromDuckDbError(err ? err : what).WithContext("appending to " + table_);
}

Status Appender::EndRow() {
  if (failed_) return Error("a value did not fit its column");
  if (duckdb_appender_end_row(appender_) != DuckDBSuccess) return Error("end of row failed");
  return Status::Ok();
}

Status Appender::Flush() {
  if (failed_) return Error("a value did not fit its column");
  if (duckdb_appender_flush(appender_) != DuckDBSuccess) return Error("flush failed");
  return Status::Ok();
}

}  // namespace mlcost::store
