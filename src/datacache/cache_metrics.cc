#include "datacache/cache_metrics.h"

#include <cstdio>

namespace mlcost::datacache {
namespace {

constexpr const char* kResultNames[kCacheResults] = {"hit", "miss", "stale", "passthrough"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

void Counter(std::string& out, const char* name, const char* help, uint64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         std::to_string(value) + "\n";
}

}  // namespace

void CacheMetrics::RecordRequest(CacheResult result, uint64_t bytes, double seconds) {
  int r = static_cast<int>(result);
  requests_[r].fetch_add(1, std::memory_order_relaxed);
  bytes_[r].fetch_add(bytes, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[r][b].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_[r].fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void CacheMetrics::RecordUpstreamRequest(const std::string& method) {
  if (method == "GET") {
    upstream_get_.fetch_add(1);
  } else if (method == "HEAD") {
    upstream_head_.fetch_add(1);
  } else {
    upstream_other_.fetch_add(1);
  }
}

void CacheMetrics::RecordUpstreamBytes(uint64_t bytes) { upstream_bytes_.fetch_add(bytes); }
void CacheMetrics::RecordUpstreamError() { upstream_errors_.fetch_add(1); }
void CacheMetrics::RecordEviction(uint64_t bytes) {
  evictions_.fetch_add(1);
  evicted_bytes_.fetch_add(bytes);
}
void CacheMetrics::RecordDiskError() { disk_errors_.fetch_add(1); }
void CacheMetrics::RecordAuthFailure() { auth_failures_.fetch_add(1); }
void CacheMetrics::RecordRevalidation(bool changed) {
  revalidations_.fetch_add(1);
  if (changed) revalidations_changed_.fetch_add(1);
}
void CacheMetrics::RecordInvalidation() { invalidations_.fetch_add(1); }

std::string CacheMetrics::Render(uint64_t cached_bytes, uint64_t cached_objects, uint64_t max_bytes) const {
  std::string out;
  out += "# HELP mlcost_datacache_requests_total Object GET/HEAD requests by how they were answered.\n"
         "# TYPE mlcost_datacache_requests_total counter\n";
  for (int r = 0; r < kCacheResults; ++r) {
    out += std::string("mlcost_datacache_requests_total{result=\"") + kResultNames[r] + "\"} " +
           std::to_string(requests_[r].load()) + "\n";
  }
  Counter(out, "mlcost_datacache_hits_total", "Object requests answered from the disk cache (fresh or revalidated).",
          requests_[0].load());
  Counter(out, "mlcost_datacache_misses_total", "Object requests that fetched the object from the upstream.",
          requests_[1].load());
  out += "# HELP mlcost_datacache_response_bytes_total Object body bytes sent to clients.\n"
         "# TYPE mlcost_datacache_response_bytes_total counter\n";
  for (int r = 0; r < kCacheResults; ++r) {
    out += std::string("mlcost_datacache_response_bytes_total{result=\"") + kResultNames[r] + "\"} " +
           std::to_string(bytes_[r].load()) + "\n";
  }
  out += "# HELP mlcost_datacache_upstream_requests_total Requests the data cache sent to the upstream.\n"
         "# TYPE mlcost_datacache_upstream_requests_total counter\n";
  out += "mlcost_datacache_upstream_requests_total{method=\"GET\"} " + std::to_string(upstream_get_.load()) + "\n";
  out += "mlcost_datacache_upstream_requests_total{method=\"HEAD\"} " + std::to_string(upstream_head_.load()) + "\n";
  out += "mlcost_datacache_upstream_requests_total{method=\"other\"} " + std::to_string(upstream_other_.load()) +
         "\n";
  Counter(out, "mlcost_datacache_upstream_bytes_total", "Object bytes fetched from the upstream.",
          upstream_bytes_.load());
  Counter(out, "mlcost_datacache_upstream_errors_total", "Upstream requests that failed to connect or got a 5xx.",
          upstream_errors_.load());
  Counter(out, "mlcost_datacache_evictions_total", "Cached objects evicted to respect the size limit or free-space floor.",
          evictions_.load());
  Counter(out, "mlcost_datacache_evicted_bytes_total", "Bytes evicted.", evicted_bytes_.load());
  Counter(out, "mlcost_datacache_disk_errors_total", "Cache disk failures (the request was served from the upstream).",
          disk_errors_.load());
  Counter(out, "mlcost_datacache_auth_failures_total", "Requests refused for a missing or bad signature.",
          auth_failures_.load());
  Counter(out, "mlcost_datacache_revalidations_total", "ETag checks against the upstream after the TTL.",
          revalidations_.load());
  Counter(out, "mlcost_datacache_revalidations_changed_total", "Revalidations that found a changed object.",
          revalidations_changed_.load());
  Counter(out, "mlcost_datacache_invalidations_total", "Cached objects dropped because a write or delete passed through.",
          invalidations_.load());
  out += "# HELP mlcost_datacache_cached_bytes Bytes of object data on the cache disk.\n"
         "# TYPE mlcost_datacache_cached_bytes gauge\nmlcost_datacache_cached_bytes " +
         std::to_string(cached_bytes) + "\n";
  out += "# HELP mlcost_datacache_cached_objects Objects on the cache disk.\n"
         "# TYPE mlcost_datacache_cached_objects gauge\nmlcost_datacache_cached_objects " +
         std::to_string(cached_objects) + "\n";
  out += "# HELP mlcost_datacache_max_bytes The configured size limit.\n"
         "# TYPE mlcost_datacache_max_bytes gauge\nmlcost_datacache_max_bytes " + std::to_string(max_bytes) + "\n";
  out += "# HELP mlcost_datacache_request_duration_seconds Time to answer an object GET/HEAD (until the body starts).\n"
         "# TYPE mlcost_datacache_request_duration_seconds histogram\n";
  for (int r = 0; r < kCacheResults; ++r) {
    uint64_t cumulative = 0;
    std::string label = std::string("result=\"") + kResultNames[r] + "\"";
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += buckets_[r][b].load();
      std::string le = b < kBuckets.size() ? Num(kBuckets[b]) : "+Inf";
      out += "mlcost_datacache_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "mlcost_datacache_request_duration_seconds_sum{" + label + "} " +
           Num(static_cast<double>(latency_sum_us_[r].load()) / 1e6) + "\n";
    out += "mlcost_datacache_request_duration_seconds_count{" + label + "} " + std::to_string(cumulative) + "\n";
  }
  return out;
}

}  // namespace mlcost::datacache
