#include "costs/forecast.h"

#include <gtest/gtest.h>

#include <vector>

namespace mlcost::costs {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

TEST(ForecastTest, ConstantSpendForecastsExactlyWithANarrowInterval) {
  std::vector<Decimal> history(40, D("10.25"));
  // 10 days of a 30-day month observed, 20 to go.
  MonthForecast f = ForecastMonthEnd(history, 10, 0, 20, ForecastOptions{});
  EXPECT_EQ(f.month_to_date, D("102.5"));
  EXPECT_EQ(f.expected_remaining, D("205"));
  EXPECT_EQ(f.forecast, D("307.5"));
  EXPECT_EQ(f.low, f.forecast);
  EXPECT_EQ(f.high, f.forecast);
  EXPECT_EQ(f.days_observed, 10);
  EXPECT_EQ(f.days_remaining, 20);
}

TEST(ForecastTest, RemainingDaysFollowTheWeekdayPattern) {
  // Five days at 100 then two at 30, for eight weeks; the history ends on the last weekend day.
  std::vector<Decimal> history;
  for (int i = 0; i < 56; ++i) history.push_back(Decimal::FromInt(i % 7 < 5 ? 100 : 30));
  // The next 9 days: five weekdays, a weekend, two weekdays = 7 * 100 + 2 * 30.
  MonthForecast f = ForecastMonthEnd(history, 0, 0, 9, ForecastOptions{});
  EXPECT_EQ(f.expected_remaining, D("760"));
  // Skipping 5 days (the month starts later) starts the sum on the weekend: 2*30 + 5*100 + 2*30.
  MonthForecast later = ForecastMonthEnd(history, 0, 5, 9, ForecastOptions{});
  EXPECT_EQ(later.expected_remaining, D("620"));
}

TEST(ForecastTest, IntervalWidensWithNoiseAndNeverFallsBelowMonthToDate) {
  std::vector<Decimal> history;
  for (int i = 0; i < 40; ++i) history.push_back(Decimal::FromInt(i % 2 == 0 ? 1 : 20));
  MonthForecast f = ForecastMonthEnd(history, 5, 0, 25, ForecastOptions{});
  EXPECT_GT(f.high, f.forecast);
  EXPECT_LE(f.low, f.forecast);
  EXPECT_GE(f.low, f.month_to_date);
}

TEST(ForecastTest, CompletedMonthIsItsActualTotal) {
  std::vector<Decimal> history(31, D("0.000000000001"));
  MonthForecast f = ForecastMonthEnd(history, 31, 0, 0, ForecastOptions{});
  EXPECT_EQ(f.forecast, D("0.000000000031"));
  EXPECT_EQ(f.low, f.forecast);
  EXPECT_EQ(f.high, f.forecast);
}

TEST(ForecastTest, EmptyHistoryForecastsZero) {
  MonthForecast f = ForecastMonthEnd({}, 0, 0, 30, ForecastOptions{});
  EXPECT_TRUE(f.forecast.IsZero());
  EXPECT_EQ(f.days_remaining, 30);
}

}  // namespace
}  // namespace mlcost::costs
