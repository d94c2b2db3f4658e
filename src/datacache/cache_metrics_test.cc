#include "datacache/cache_metrics.h"

#include <gtest/gtest.h>

namespace mlcost::datacache {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(CacheMetricsTest, CountsAndHistogramInPrometheusText) {
  CacheMetrics m;
  m.RecordRequest(CacheResult::kHit, 100, 0.0002);
  m.RecordRequest(CacheResult::kHit, 50, 0.003);
  m.RecordRequest(CacheResult::kMiss, 1000, 0.2);
  m.RecordUpstreamRequest("GET");
  m.RecordUpstreamRequest("HEAD");
  m.RecordEviction(7);
  std::string text = m.Render(123, 4, 1000);
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_hits_total 2")) << text;
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_misses_total 1"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_response_bytes_total{result=\"hit\"} 150"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_upstream_requests_total{method=\"GET\"} 1"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_evictions_total 1"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_evicted_bytes_total 7"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_cached_bytes 123"));
  // Buckets are cumulative: 0.0002 <= 0.0005; 0.003 <= 0.005; both <= +Inf.
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_request_duration_seconds_bucket{result=\"hit\",le=\"0.0005\"} 1"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_request_duration_seconds_bucket{result=\"hit\",le=\"0.0025\"} 1"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_request_duration_seconds_bucket{result=\"hit\",le=\"0.005\"} 2"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_request_duration_seconds_bucket{result=\"hit\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(HasLine(text, "mlcost_datacache_request_duration_seconds_count{result=\"miss\"} 1"));
  EXPECT_TRUE(HasLine(text, "# TYPE mlcost_datacache_request_duration_seconds histogram"));
}

}  // namespace
}  // namespace mlcost::datacache
