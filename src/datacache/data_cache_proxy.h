// DataCacheProxy: the S3 request handlers of `mlcost datacache serve` (docs/datacache.md).
//   GET/HEAD of an object: served from the DiskCache when cached and fresh (x-mlcost-cache: hit);
//     after the TTL its ETag is checked with the upstream (HEAD) first; a changed object is
//     fetched again; when the upstream cannot be reached the cached copy is served with
//     x-mlcost-cache: stale. A miss is fetched once however many clients ask at the same time
//     (SingleFlight), stored and served (x-mlcost-cache: miss). Range requests are served from
//     the cached file.
//   Everything else (PUT, POST, DELETE, listings, versioned or conditional reads) passes through,
//     re-signed; writes and deletes drop the objects they touch from the cache.
//   GET /metrics without a signature: the Prometheus metrics.
// Every request but /metrics must carry a valid SigV4 signature (403 otherwise); paths with
// ".." segments are refused (400). A broken cache disk never fails a read: it is served from the
// upstream instead.
#ifndef MLCOST_DATACACHE_DATA_CACHE_PROXY_H_
#define MLCOST_DATACACHE_DATA_CACHE_PROXY_H_

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "datacache/cache_metrics.h"
#include "datacache/disk_cache.h"
#include "datacache/object_path.h"
#include "datacache/s3_error.h"
#include "datacache/sigv4_verifier.h"
#include "datacache/single_flight.h"
#include "datacache/upstream_client.h"

namespace mlcost::datacache {

struct ProxyOptions {
  // How long a cached object is served without asking the upstream whether its ETag changed.
  // Default 60 s (mountpoint-s3's metadata TTL with a cache). 0: check on every request.
  Micros ttl = 60 * kMicrosPerSecond;
  // Largest request body (PUT of one object or part) accepted. Default 5 GiB (S3's single PUT limit).
  size_t max_body_bytes = size_t{5} << 30;
};

// Thread-safe; the referenced objects must outlive it.
class DataCacheProxy {
 public:
  DataCacheProxy(ProxyOptions options, DiskCache& cache, const UpstreamClient& upstream,
                 const SigV4Verifier& verifier, CacheMetrics& metrics, const Clock& clock);

  // Answers one request (any method).
  void Handle(const httplib::Request& req, httplib::Response& res);

 private:
  // What one upstream fetch of an object gave; shared by the clients whose misses merged.
  struct Fetch {
    std::shared_ptr<CachedFile> file;  // the object, pinned (cached, or an uncached temp copy)
    bool disk_failed = false;          // the cache disk failed: serve straight from the upstream
    std::optional<UpstreamResponse> upstream_error;  // a non-2xx answer to forward
    Status status;                     // upstream unreachable
  };

  void GetObject(const httplib::Request& req, httplib::Response& res, const ObjectPath& path, bool head);
  Fetch FetchObject(const httplib::Request& req, const ObjectPath& path, const std::string& id);
  void ServeFile(const httplib::Request& req, httplib::Response& res, const std::shared_ptr<CachedFile>& file,
                 bool head, const char* how);
  void ServeFromUpstream(const httplib::Request& req, httplib::Response& res, const ObjectPath& path);
  // A HEAD to the upstream for `req`'s object, counted (and counted as an error when it fails
  // or answers 5xx).
  Result<UpstreamResponse> UpstreamHead(const httplib::Request& req);
  // Answers a HEAD that missed the cache with the upstream's HEAD answer `r`.
  void HeadMiss(httplib::Response& res, const UpstreamResponse& r, std::chrono::steady_clock::time_point start);
  void PassThrough(const httplib::Request& req, httplib::Response& res, const ObjectPath& path);
  void Invalidate(const httplib::Request& req, const ObjectPath& path);
  // The request for the upstream: with `as_sent` the client's query, headers and body (a
  // pass-through); otherwise a plain `method` of the same object (the cache's own fetches and
  // checks must not carry the client's Range or conditions).
  UpstreamRequest Forwarded(const httplib::Request& req, const std::string& method, bool as_sent) const;
  static void CopyResponse(const UpstreamResponse& from, httplib::Response& res, bool head);
  static void Error(httplib::Response& res, const S3Error& error, const std::string& resource);

  ProxyOptions options_;
  DiskCache& cache_;
  const UpstreamClient& upstream_;
  const SigV4Verifier& verifier_;
  CacheMetrics& metrics_;
  const Clock& clock_;
  SingleFlight<Fetch> flights_;
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_DATA_CACHE_PROXY_H_
