// CacheMetrics: the data cache's counters and latency histogram, rendered in the Prometheus text
// exposition format (version 0.0.4) on GET /metrics. Lock-free; thread-safe.
#ifndef MLCOST_DATACACHE_CACHE_METRICS_H_
#define MLCOST_DATACACHE_CACHE_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace mlcost::datacache {

// How a GET or HEAD of an object was answered.
enum class CacheResult { kHit = 0, kMiss, kStale, kPassthrough };
inline constexpr int kCacheResults = 4;

class CacheMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,     5};

  // One answered object GET/HEAD: its result, the body bytes sent and the seconds it took until
  // the handler handed the body to the HTTP layer.
  void RecordRequest(CacheResult result, uint64_t bytes, double seconds);
  void RecordUpstreamRequest(const std::string& method);  // every request sent to the upstream
  void RecordUpstreamBytes(uint64_t bytes);               // object bytes fetched from the upstream
  void RecordUpstreamError();                             // upstream unreachable or 5xx
  void RecordEviction(uint64_t bytes);
  void RecordDiskError();        // the cache disk failed; the request went to the upstream
  void RecordAuthFailure();      // refused signature
  void RecordRevalidation(bool changed);
  void RecordInvalidation();     // a write or delete dropped a cached object

  uint64_t upstream_gets() const { return upstream_get_.load(); }

  // The exposition text; `cached_bytes` and `cached_objects` are the current disk cache gauges.
  std::string Render(uint64_t cached_bytes, uint64_t cached_objects, uint64_t max_bytes) const;

 private:
  std::array<std::atomic<uint64_t>, kCacheResults> requests_{};
  std::array<std::atomic<uint64_t>, kCacheResults> bytes_{};
  std::array<std::array<std::atomic<uint64_t>, kBuckets.size() + 1>, kCacheResults> buckets_{};
  std::array<std::atomic<uint64_t>, kCacheResults> latency_sum_us_{};
  std::atomic<uint64_t> upstream_get_{0}, upstream_head_{0}, upstream_other_{0};
  std::atomic<uint64_t> upstream_bytes_{0}, upstream_errors_{0};
  std::atomic<uint64_t> evictions_{0}, evicted_bytes_{0}, disk_errors_{0}, auth_failures_{0};
  std::atomic<uint64_t> revalidations_{0}, revalidations_changed_{0}, invalidations_{0};
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_CACHE_METRICS_H_
