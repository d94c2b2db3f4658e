#include "store/migrations.h"

#include <string>

namespace mlcost::store {

Result<int> SchemaVersion(Connection& conn) {
  RETURN_IF_ERROR(conn.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
      "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"));
  ASSIGN_OR_RETURN(QueryResult r, conn.Query("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  return static_cast<int>(r.GetInt64(0, 0));
}

Result<int> Migrate(Connection& conn, const std::vector<Migration>& migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return InvalidArgument("migration versions must increase: " + std::to_string(migrations[i].version) +
                             " follows " + std::to_string(migrations[i - 1].version));
    }
  }
  ASSIGN_OR_RETURN(int current, SchemaVersion(conn));
  int known = migrations.empty() ? 0 : migrations.back().version;
  if (current > known) {
    return Conflict("database schema is at version " + std::to_string(current) + " but this mlcost knows only " +
                    std::to_string(known) + "; use a newer mlcost");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    RETURN_IF_ERROR(conn.Begin());
    Status s = conn.Execute(m.sql);
    if (s.ok()) {
      auto stmt = conn.Prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
      if (!stmt.ok()) {
        s = stmt.status();
      } else {
        s = stmt->BindInt64(1, m.version);
        if (s.ok()) s = stmt->BindString(2, m.name);
        if (s.ok()) s = stmt->Execute().status();
      }
    }
    if (s.ok()) s = conn.Commit();
    if (!s.ok()) {
      conn.Rollback();
      return Internal("migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + s.message());
    }
    current = m.version;
  }
  return current;
}

}  // namespace mlcost::store
