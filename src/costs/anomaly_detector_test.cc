#include "costs/anomaly_detector.h"

#include <gtest/gtest.h>

#include <vector>

namespace mlcost::costs {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

// A weekday-shaped daily cost: 100 on days 0-4 of each week, 40 on days 5-6, plus a fixed
// pseudo-random wobble of a few dollars and cents.
std::vector<Decimal> WeeklySeries(int days) {
  std::vector<Decimal> out;
  for (int i = 0; i < days; ++i) {
    const int64_t base = (i % 7) < 5 ? 100 : 40;
    const int64_t wobble_cents = ((i * 37) % 11 - 5) * 43;  // -2.15 .. +2.15
    out.push_back(Decimal::FromInt(base) + Decimal::FromInt(wobble_cents).DivInt(100));
  }
  return out;
}

std::vector<int> Flagged(const std::vector<PointResult>& points) {
  std::vector<int> out;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].anomaly) out.push_back(static_cast<int>(i));
  }
  return out;
}

TEST(AnomalyDetectorTest, QuietWeeklySeriesHasNoAnomalies) {
  auto points = DetectAnomalies(WeeklySeries(70), DetectorOptions{});
  EXPECT_TRUE(Flagged(points).empty());
  // Monday after a weekend is what the baseline expects, not a 150 % jump.
  const PointResult& monday = points[63];
  ASSERT_TRUE(monday.evaluated);
  EXPECT_GT(monday.expected, D("95"));
  EXPECT_LT(monday.expected, D("105"));
}

TEST(AnomalyDetectorTest, WarmUpPointsAreNotEvaluated) {
  DetectorOptions options;
  options.min_history = 10;
  auto points = DetectAnomalies(WeeklySeries(20), options);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(points[i].evaluated) << i;
  for (int i = 10; i < 20; ++i) EXPECT_TRUE(points[i].evaluated) << i;
}

TEST(AnomalyDetectorTest, FlagsASpikeWithExactImpact) {
  auto series = WeeklySeries(60);
  series[45] = D("250.123456789012");  // day 45 is a weekday (45 % 7 == 3)
  auto points = DetectAnomalies(series, DetectorOptions{});
  EXPECT_EQ(Flagged(points), std::vector<int>{45});
  const PointResult& p = points[45];
  EXPECT_EQ(p.actual, series[45]);
  EXPECT_EQ(p.impact, p.actual - p.expected);
  EXPECT_GT(p.expected, D("95"));
  EXPECT_LT(p.expected, D("105"));
  ASSERT_TRUE(p.impact_percent.has_value());
  EXPECT_NEAR(*p.impact_percent, (p.impact.ToDouble() / p.expected.ToDouble()) * 100, 1e-9);
}

TEST(AnomalyDetectorTest, WeekendSpikeToWeekdayLevelIsFoundOnlyByTheWeekdayAwareDetector) {
  auto series = WeeklySeries(60);
  series[47] = D("100");  // day 47 is a weekend day (47 % 7 == 5): normally ~40
  EXPECT_EQ(Flagged(DetectAnomalies(series, DetectorOptions{})), std::vector<int>{47});
  // The 7-day mean is ~83, so 100 is not above mean * 1.3: the simple rule misses it.
  EXPECT_TRUE(Flagged(DetectWithRule(series, RuleOptions{})).empty());
}

TEST(AnomalyDetectorTest, DirectionSelectsSpikesOrDrops) {
  auto series = WeeklySeries(60);
  series[44] = D("10");
  DetectorOptions options;
  EXPECT_TRUE(Flagged(DetectAnomalies(series, options)).empty());
  options.direction = Direction::kDown;
  EXPECT_EQ(Flagged(DetectAnomalies(series, options)), std::vector<int>{44});
  options.direction = Direction::kBoth;
  EXPECT_EQ(Flagged(DetectAnomalies(series, options)), std::vector<int>{44});
}

TEST(AnomalyDetectorTest, LevelShiftIsFlaggedThenBecomesTheBaseline) {
  auto series = WeeklySeries(91);
  for (int i = 42; i < 91; ++i) series[i] = series[i].MulInt(2);
  auto flagged = Flagged(DetectAnomalies(series, DetectorOptions{}));
  ASSERT_FALSE(flagged.empty());
  EXPECT_EQ(flagged.front(), 42);
  EXPECT_LT(flagged.back(), 42 + 21) << "still flagging three weeks after the shift";
}

TEST(AnomalyDetectorTest, MinimumImpactSuppressesSmallAnomalies) {
  auto series = WeeklySeries(60);
  series[45] = D("150");
  DetectorOptions options;
  EXPECT_EQ(Flagged(DetectAnomalies(series, options)), std::vector<int>{45});
  options.min_impact = D("60");
  EXPECT_TRUE(Flagged(DetectAnomalies(series, options)).empty());
  options.min_impact = Decimal();
  options.min_impact_fraction = 0.6;
  EXPECT_TRUE(Flagged(DetectAnomalies(series, options)).empty());
}

TEST(AnomalyDetectorTest, PeriodOneWorksWithoutSeasonality) {
  std::vector<Decimal> flat(40, D("5.5"));
  flat[30] = D("9");
  DetectorOptions options;
  options.period = 1;
  EXPECT_EQ(Flagged(DetectAnomalies(flat, options)), std::vector<int>{30});
}

TEST(RuleDetectorTest, ComparesExactlyAgainstMeanTimesThreshold) {
  std::vector<Decimal> series(8, D("10"));
  series[7] = D("13");  // 13 > 10 * 1.3 is false
  auto points = DetectWithRule(series, RuleOptions{});
  for (int i = 0; i < 7; ++i) EXPECT_FALSE(points[i].evaluated);
  EXPECT_TRUE(points[7].evaluated);
  EXPECT_FALSE(points[7].anomaly);
  EXPECT_EQ(points[7].expected, D("10"));
  EXPECT_EQ(points[7].impact, D("3"));
  series[7] = D("13.000000000001");
  EXPECT_TRUE(DetectWithRule(series, RuleOptions{})[7].anomaly);
}

TEST(RuleDetectorTest, UsesOnlyThePreviousWindow) {
  // The spike at 1 must have left the window by day 9 (window 7: days 2..8).
  std::vector<Decimal> series = {D("1"), D("100"), D("1"), D("1"), D("1"), D("1"), D("1"), D("1"), D("1"),
                                 D("1.31")};
  auto points = DetectWithRule(series, RuleOptions{});
  EXPECT_TRUE(points[9].anomaly);
  EXPECT_FALSE(points[8].anomaly);
}

}  // namespace
}  // namespace mlcost::costs
