// Database: owns a duckdb_database (one DuckDB file, or in-memory for tests).
#ifndef MLCOST_STORE_DATABASE_H_
#define MLCOST_STORE_DATABASE_H_

#include <duckdb.h>

#include <memory>
#include <string>

#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::store {

struct DatabaseOptions {
  // DuckDB worker threads; 0 = DuckDB's default (one per core).
  int threads = 0;
  // Memory limit such as "4GB"; empty = DuckDB's default (80% of RAM).
  std::string memory_limit;
};

// The DuckDB thread count `mlcost serve` uses unless told otherwise: half the cores, at least one.
// Every DuckDB query wakes its background workers, which spin before they sleep; on a server whose
// other half of the cores answers HTTP that spinning costs the small tracking writes more than the
// parallel scans gain (docs/performance.md: 2 cores, one thread: log-metric +50 % and more, ingest
// faster too, because its line-numbered mapping runs on one thread anyway).
int DefaultServerThreads();

// Thread-safe: any thread may call Connect(). Connections must be destroyed before the Database.
class Database {
 public:
  // Opens or creates the DuckDB file at `path` (":memory:" for an in-memory database).
  // Conflict when another process holds the file (DuckDB's message names the holder's PID);
  // Internal for other I/O failures.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const DatabaseOptions& options = {});

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Result<Connection> Connect();
  const std::string& path() const { return path_; }

 private:
  Database(duckdb_database db, std::string path) : db_(db), path_(std::move(path)) {}
  duckdb_database db_ = nullptr;
  std::string path_;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_DATABASE_H_
