// Versioned, forward-only schema migrations, applied at start-up. Each migration runs in its own
// transaction together with its row in schema_migrations, so a crash leaves the schema at a
// version boundary. A database newer than this binary is refused rather than touched.
#ifndef MLCOST_STORE_MIGRATIONS_H_
#define MLCOST_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::store {

struct Migration {
  int version;        // 1, 2, 3 ... strictly increasing, never reused or edited once released
  std::string name;   // short description, recorded in schema_migrations
  std::string sql;    // one or more statements
};

// mlcost's migrations, in order (schema.cc).
const std::vector<Migration>& SchemaMigrations();

// Applies every migration in `migrations` newer than the database's version.
// Returns the resulting version. InvalidArgument if versions are not strictly increasing;
// Conflict if the database is at a version this binary does not know; Internal if a
// migration fails (that migration is rolled back, earlier ones stay).
Result<int> Migrate(Connection& conn, const std::vector<Migration>& migrations);

// The database's current schema version (0 for an empty database).
Result<int> SchemaVersion(Connection& conn);

}  // namespace mlcost::store

#endif  // MLCOST_STORE_MIGRATIONS_H_
