#include "store/prepared_statement.h"

#include <string>

namespace mlcost::store {

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) duckdb_destroy_prepare(&stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

PreparedStatement::~PreparedStatement() {
  if (stmt_ != nullptr) duckdb_destroy_prepare(&stmt_);
}

Status PreparedStatement::Check(duckdb_state state, uint64_t index) {
  if (state == DuckDBSuccess) return Status::Ok();
  return InvalidArgument("cannot bind parameter " + std::to_string(index));
}

Status PreparedStatement::BindInt64(uint64_t i, int64_t v) { return Check(duckdb_bind_int64(stmt_, i, v), i); }
Status PreparedStatement::BindDouble(uint64_t i, double v) { return Check(duckdb_bind_double(stmt_, i, v), i); }
Status PreparedStatement::BindBool(uint64_t i, bool v) { return Check(duckdb_bind_boolean(stmt_, i, v), i); }
Status PreparedStatement::BindString(uint64_t i, std::string_view v) {
  return Check(duckdb_bind_varchar_length(stmt_, i, v.data(), v.size()), i);
}
Status PreparedStatement::BindOptionalString(uint64_t i, const std::optional<std::string>& v) {
  return v ? BindString(i, *v) : BindNull(i);
}
Status PreparedStatement::BindTimestamp(uint64_t i, Micros v) {
  return Check(duckdb_bind_timestamp(stmt_, i, duckdb_timestamp{v}), i);
}
Status PreparedStatement::BindDecimal(uint64_t i, Decimal v) {
  duckdb_decimal d;
  d.width = 38;
  d.scale = Decimal::kScale;
  int128 u = v.units();
  d.value.lower = static_cast<uint64_t>(u);
  d.value.upper = static_cast<int64_t>(u >> 64);
  return Check(duckdb_bind_decimal(stmt_, i, d), i);
}
Status PreparedStatement::BindNull(uint64_t i) { return Check(duckdb_bind_null(stmt_, i), i); }
Status PreparedStatement::BindList(uint64_t i, duckdb_type type, std::vector<duckdb_value>& items) {
  duckdb_logical_type child = duckdb_create_logical_type(type);
  duckdb_value list = duckdb_create_list_value(child, items.data(), items.size());
  duckdb_destroy_logical_type(&child);
  for (duckdb_value& v : items) duckdb_destroy_value(&v);
  if (list == nullptr) return InvalidArgument("cannot build list for parameter " + std::to_string(i));
  Status s = Check(duckdb_bind_value(stmt_, i, list), i);
  duckdb_destroy_value(&list);
  return s;
}

Status PreparedStatement::BindStringList(uint64_t i, const std::vector<std::string_view>& values) {
  std::vector<duckdb_value> items;
  items.reserve(values.size());
  for (std::string_view v : values) items.push_back(duckdb_create_varchar_length(v.data(), v.size()));
  return BindList(i, DUCKDB_TYPE_VARCHAR, items);
}

Status PreparedStatement::BindDoubleList(uint64_t i, const std::vector<double>& values) {
  std::vector<duckdb_value> items;
  items.reserve(values.size());
  for (double v : values) items.push_back(duckdb_create_double(v));
  return BindList(i, DUCKDB_TYPE_DOUBLE, items);
}

Status PreparedStatement::BindInt64List(uint64_t i, const std::vector<int64_t>& values) {
  std::vector<duckdb_value> items;
  items.reserve(values.size());
  for (int64_t v : values) items.push_back(duckdb_create_int64(v));
  return BindList(i, DUCKDB_TYPE_BIGINT, items);
}

Status PreparedStatement::ClearBindings() {
  if (duckdb_clear_bindings(stmt_) != DuckDBSuccess) return Internal("cannot clear bindings");
  return Status::Ok();
}

Result<QueryResult> PreparedStatement::Execute() {
  duckdb_result result;
  if (duckdb_execute_prepared(stmt_, &result) != DuckDBSuccess) {
    const char* err = duckdb_result_error(&result);
    Status s = StatusFromDuckDbError(err ? err : "unknown DuckDB error");
    duckdb_destroy_result(&result);
    return s;
  }
  return QueryResult(result);
}

Status StatusFromDuckDbError(std::string_view message) {
  std::string m(message);
  // The appender reports violations without the "Constraint Error" prefix ("Failed to append:
  // PRIMARY KEY or UNIQUE constraint violation: ...", "NOT NULL constraint failed: t.c").
  if (m.find("Constraint Error") != std::string::npos || m.find("constraint violation") != std::string::npos ||
      m.find("constraint failed") != std::string::npos) {
    return Conflict(m);
  }
  if (m.find("Conversion Error") != std::string::npos || m.find("Binder Error") != std::string::npos ||
      m.find("Parser Error") != std::string::npos || m.find("Invalid Input Error") != std::string::npos) {
    return InvalidArgument(m);
  }
  return Internal(m);
}

}  // namespace mlcost::store
