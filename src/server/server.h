// Server: `mlcost serve`. Owns the data directory (lock, DuckDB file, artifacts), the tracking
// service, the price catalog and the HTTP listener, and wires the API routes to them.
#ifndef MLCOST_SERVER_SERVER_H_
#define MLCOST_SERVER_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"

namespace mlcost::server {

struct ServerOptions {
  // Directory holding mlcost.duckdb, artifacts/ and mlcost.lock. Created if missing.
  std::string data_dir = "mlcost-data";
  // Address to bind. Default loopback only.
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port()).
  int port = 8080;
  // SkyPilot-format vms.csv files loaded into the price catalog, in order.
  std::vector<std::string> catalog_files;
  // HTTP worker threads; each keep-alive connection holds one while open. Default 128.
  int threads = 128;
  // Largest JSON request body; larger ones get 413. Default 16 MiB. Artifact uploads are
  // streamed to disk and limited by max_artifact_bytes instead.
  size_t max_body_bytes = 16u << 20;
  // Largest single artifact upload. Default 4 GiB.
  size_t max_artifact_bytes = size_t{4} << 30;
  // DuckDB threads; 0 = store::DefaultServerThreads() (half the cores, at least one).
  int db_threads = 0;
  // Root folder of saved-query exports; "" = DATA_DIR/exports. Requests name folders under it only.
  std::string export_dir;
  // SQL console limits (docs/sql.md): time per statement, default 30 s; rows per answer, default 10,000.
  int64_t sql_timeout_ms = 30000;
  int64_t sql_max_rows = 10000;
  // How often the quota evaluator checks alert thresholds and forecasts (docs/quotas.md);
  // 0 = never (alerts are then evaluated only when runs are created). Default 60 s.
  int64_t quota_interval_ms = 60000;
  // Log each request to stderr.
  bool access_log = false;
  // Who holds the data directory, as a second process is told ("mlcost serve", or the CLI
  // command that opened the directory with --data-dir).
  std::string holder = "mlcost serve";
};

class Server {
 public:
  // Takes the data directory (Conflict naming the holder if another process has it), opens and
  // migrates the database, loads the catalog (InvalidArgument naming a bad file), binds the port
  // (Unavailable if taken) and starts serving on a background thread. `clock` must outlive it.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, const Clock& clock);

  // Stops listening, finishes in-flight requests and closes the database.
  ~Server();

  int port() const;
  // "http://HOST:PORT".
  std::string url() const;
  // Blocks until Stop() is called (from another thread or a signal handler).
  void Wait();
  // Thread-safe and idempotent.
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlcost::server

#endif  // MLCOST_SERVER_SERVER_H_
