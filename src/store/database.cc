#include "store/database.h"

#include <algorithm>
#include <string>
#include <thread>

namespace mlcost::store {

int DefaultServerThreads() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const DatabaseOptions& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) != DuckDBSuccess) return Internal("cannot create DuckDB config");
  // No extension is ever installed or loaded at run time: the machine has no network and the
  // extensions mlcost needs (parquet, json, icu) are built into libduckdb.
  duckdb_set_config(config, "autoinstall_known_extensions", "false");
  duckdb_set_config(config, "autoload_known_extensions", "false");
  if (options.threads > 0) duckdb_set_config(config, "threads", std::to_string(options.threads).c_str());
  if (!options.memory_limit.empty()) duckdb_set_config(config, "memory_limit", options.memory_limit.c_str());

  duckdb_database db = nullptr;
  char* error = nullptr;
  const char* file = path == ":memory:" ? nullptr : path.c_str();
  duckdb_state state = duckdb_open_ext(file, &db, config, &error);
  duckdb_destroy_config(&config);
  if (state != DuckDBSuccess) {
    std::string message = error ? error : "unknown error";
    if (error) duckdb_free(error);
    // Match DuckDB's lock-conflict wording, not just "lock": the path itself may contain it.
    if (message.find("Could not set lock") != std::string::npos ||
        message.find("Conflicting lock") != std::string::npos) {
      return Conflict("database " + path + " is in use by another process: " + message);
    }
    return Internal("cannot open database " + path + ": " + message);
  }
  return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() {
  if (db_ != nullptr) duckdb_close(&db_);
}

Result<Connection> Database::Connect() {
  duckdb_connection conn = nullptr;
  if (duckdb_connect(db_, &conn) != DuckDBSuccess) return Internal("cannot connect to database " + path_);
  return Connection(conn);
}

}  // namespace mlcost::store
