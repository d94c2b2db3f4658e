#include "sqlconsole/saved_query_store.h"

namespace mlcost::sqlconsole {
namespace {

constexpr char kColumns[] =
    "SELECT name, sql, format, output_dir, interval_seconds, epoch_us(created_at), epoch_us(next_run_at), "
    "epoch_us(last_run_at), last_status, last_row_count, last_error, last_output FROM saved_queries ";

std::optional<int64_t> OptionalInt(store::QueryResult& r, uint64_t col, uint64_t row) {
  if (r.IsNull(col, row)) return std::nullopt;
  return r.GetInt64(col, row);
}

SavedQuery ReadRow(store::QueryResult& r, uint64_t row) {
  SavedQuery q;
  q.name = r.GetString(0, row);
  q.sql = r.GetString(1, row);
  q.format = r.GetString(2, row) == "parquet" ? ExportFormat::kParquet : ExportFormat::kCsv;
  q.output_dir = r.GetString(3, row);
  q.interval_seconds = OptionalInt(r, 4, row);
  q.created_at = r.GetInt64(5, row);
  q.next_run_at = OptionalInt(r, 6, row);
  q.last_run_at = OptionalInt(r, 7, row);
  q.last_status = r.GetOptionalString(8, row).value_or("");
  q.last_row_count = OptionalInt(r, 9, row);
  q.last_error = r.GetOptionalString(10, row).value_or("");
  q.last_output = r.GetOptionalString(11, row).value_or("");
  return q;
}

// Connection::Run binds no optional integer; an optional number travels as text and the SQL
// casts it (CAST(? AS BIGINT)), so NULL stays NULL.
std::optional<std::string> OptionalNumber(std::optional<int64_t> v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

std::optional<store::Timestamp> Ts(std::optional<Micros> t) {
  if (!t) return std::nullopt;
  return store::Timestamp{*t};
}

}  // namespace

Result<std::unique_ptr<SavedQueryStore>> SavedQueryStore::Open(store::Database& db) {
  ASSIGN_OR_RETURN(store::Connection conn, db.Connect());
  return std::unique_ptr<SavedQueryStore>(new SavedQueryStore(std::move(conn)));
}

Result<std::vector<SavedQuery>> SavedQueryStore::Select(const std::string& where_and_order,
                                                        std::optional<std::string> name,
                                                        std::optional<Micros> now) {
  const std::string sql = kColumns + where_and_order;
  Result<store::QueryResult> r = name  ? conn_.Run(sql, *name)
                                 : now ? conn_.Run(sql, store::Timestamp{*now})
                                       : conn_.Run(sql);
  if (!r.ok()) return r.status();
  std::vector<SavedQuery> out;
  for (uint64_t row = 0; row < r->RowCount(); ++row) out.push_back(ReadRow(*r, row));
  return out;
}

Status SavedQueryStore::Create(const SavedQuery& q) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto existing, Select("WHERE name = ?", q.name, std::nullopt));
  if (!existing.empty()) return AlreadyExists("saved query '" + q.name + "' already exists");
  std::optional<int64_t> interval = q.interval_seconds;
  return conn_.Exec(
      "INSERT INTO saved_queries (name, sql, format, output_dir, interval_seconds, created_at, next_run_at) "
      "VALUES (?, ?, ?, ?, CAST(? AS BIGINT), ?, ?)",
      q.name, q.sql, std::string(ExportFormatName(q.format)), q.output_dir, OptionalNumber(interval),
      store::Timestamp{q.created_at}, Ts(q.next_run_at));
}

Result<std::vector<SavedQuery>> SavedQueryStore::List() {
  std::lock_guard<std::mutex> lock(mu_);
  return Select("ORDER BY name", std::nullopt, std::nullopt);
}

Result<SavedQuery> SavedQueryStore::Get(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto found, Select("WHERE name = ?", name, std::nullopt));
  if (found.empty()) return NotFound("saved query '" + name + "' does not exist");
  return std::move(found.front());
}

Status SavedQueryStore::Delete(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(store::QueryResult r, conn_.Run("DELETE FROM saved_queries WHERE name = ?", name));
  if (r.RowsChanged() == 0) return NotFound("saved query '" + name + "' does not exist");
  return Status::Ok();
}

Status SavedQueryStore::RecordRun(const std::string& name, const RunRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      store::QueryResult r,
      conn_.Run("UPDATE saved_queries SET last_run_at = ?, last_status = ?, last_row_count = CAST(? AS "
                "BIGINT), last_error = ?, "
                "last_output = ?, next_run_at = ? WHERE name = ?",
                store::Timestamp{record.run_at}, std::string(record.ok ? "ok" : "error"),
                OptionalNumber(record.ok ? std::optional<int64_t>(record.row_count) : std::nullopt),
                record.ok ? std::optional<std::string>() : std::optional<std::string>(record.error),
                record.ok ? std::optional<std::string>(record.output) : std::optional<std::string>(),
                Ts(record.next_run_at), name));
  if (r.RowsChanged() == 0) return NotFound("saved query '" + name + "' does not exist");
  return Status::Ok();
}

Result<std::vector<SavedQuery>> SavedQueryStore::Due(Micros now) {
  std::lock_guard<std::mutex> lock(mu_);
  return Select("WHERE interval_seconds IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at, name",
                std::nullopt, now);
}

}  // namespace mlcost::sqlconsole
