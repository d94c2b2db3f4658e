#include "bench/stats.h"

#include <gtest/gtest.h>

namespace mlcost::bench {
namespace {

TEST(StatsTest, NearestRankPercentiles) {
  std::vector<int64_t> ns;
  for (int i = 100; i >= 1; --i) ns.push_back(i * 1'000'000);  // 1..100 ms, reversed
  LatencySummary s = Summarize(ns);
  EXPECT_EQ(s.count, 100);
  EXPECT_DOUBLE_EQ(s.p50_ms, 50);
  EXPECT_DOUBLE_EQ(s.p99_ms, 99);
  EXPECT_DOUBLE_EQ(s.max_ms, 100);
  EXPECT_DOUBLE_EQ(s.mean_ms, 50.5);
}

TEST(StatsTest, EmptyAndSingle) {
  EXPECT_EQ(Summarize({}).count, 0);
  LatencySummary one = Summarize({2'500'000});
  EXPECT_DOUBLE_EQ(one.p50_ms, 2.5);
  EXPECT_DOUBLE_EQ(one.p99_ms, 2.5);
}

TEST(StatsTest, SafeRatio) {
  EXPECT_DOUBLE_EQ(SafeRatio(10, 4), 2.5);
  EXPECT_DOUBLE_EQ(SafeRatio(10, 0), 0);
}

}  // namespace
}  // namespace mlcost::bench
