// DataCacheServer: `mlcost datacache serve` — an S3-compatible read-through cache in front of an
// upstream S3 endpoint (docs/datacache.md). Owns the disk cache, the upstream client, the
// signature verifier, the metrics and the HTTP listener.
#ifndef MLCOST_DATACACHE_DATA_CACHE_SERVER_H_
#define MLCOST_DATACACHE_DATA_CACHE_SERVER_H_

#include <memory>
#include <string>

#include "common/clock.h"
#include "mlcost/status.h"
#include "s3/s3_config.h"

namespace mlcost::datacache {

struct DataCacheOptions {
  // The upstream endpoint, region and credentials. The same access key and secret are the ones
  // clients must sign with (the usual AWS environment variables on both sides).
  s3::S3Config upstream;
  // Cache directory (created). One process per directory.
  std::string dir;
  // Object bytes kept at most (required, > 0).
  uint64_t max_bytes = 0;
  // Keep at least this many bytes free on the cache's file system. Default 0.
  uint64_t min_free_bytes = 0;
  // Seconds a cached object is served before its ETag is checked again. Default 60.
  int64_t ttl_seconds = 60;
  // Address and port to bind; port 0 picks a free one. Default loopback.
  std::string host = "127.0.0.1";
  int port = 0;
  // HTTP worker threads (one per open connection). Default 64.
  int threads = 64;
};

class DataCacheServer {
 public:
  // Opens the cache directory (Conflict when another process uses it, Internal on I/O errors),
  // binds (Unavailable when the port is taken) and serves on a background thread. InvalidArgument
  // when max_bytes is 0 or ttl_seconds is negative. `clock` must outlive the server.
  static Result<std::unique_ptr<DataCacheServer>> Start(const DataCacheOptions& options, const Clock& clock);
  ~DataCacheServer();

  int port() const;
  std::string url() const;  // "http://HOST:PORT"
  void Wait();              // until Stop()
  void Stop();              // thread-safe, idempotent

  struct Impl;

 private:
  explicit DataCacheServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_DATA_CACHE_SERVER_H_
