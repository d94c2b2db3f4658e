#include "quota/period.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace mlcost::quota {
namespace {

Micros At(const char* iso) { return *ParseIso8601(iso); }

TEST(PeriodTest, DayIsTheUtcCalendarDay) {
  FakeClock clock(At("2026-03-15T23:59:59.999999Z"));
  PeriodWindow w = *PeriodAt("day", clock.Now());
  EXPECT_EQ(*w.start, At("2026-03-15T00:00:00Z"));
  EXPECT_EQ(*w.end, At("2026-03-16T00:00:00Z"));
  clock.Advance(1);  // midnight belongs to the next day
  EXPECT_EQ(*PeriodAt("day", clock.Now())->start, At("2026-03-16T00:00:00Z"));
}

TEST(PeriodTest, WeekStartsOnMonday) {
  // 2026-12-01 is a Tuesday; 2026-11-30 a Monday; 2026-12-06 a Sunday.
  for (const char* t : {"2026-11-30T00:00:00Z", "2026-12-01T12:00:00Z", "2026-12-06T23:59:59Z"}) {
    PeriodWindow w = *PeriodAt("week", At(t));
    EXPECT_EQ(*w.start, At("2026-11-30T00:00:00Z")) << t;
    EXPECT_EQ(*w.end, At("2026-12-07T00:00:00Z")) << t;
  }
  // Across a year boundary, and before the epoch (1969-12-29 was a Monday).
  EXPECT_EQ(*PeriodAt("week", At("2027-01-01T05:00:00Z"))->start, At("2026-12-28T00:00:00Z"));
  EXPECT_EQ(*PeriodAt("week", At("1969-12-31T00:00:00Z"))->start, At("1969-12-29T00:00:00Z"));
  EXPECT_EQ(*PeriodAt("week", At("1970-01-01T00:00:00Z"))->start, At("1969-12-29T00:00:00Z"));
}

TEST(PeriodTest, MonthHandlesLengthsAndLeapYears) {
  PeriodWindow feb = *PeriodAt("month", At("2028-02-29T10:00:00Z"));
  EXPECT_EQ(*feb.start, At("2028-02-01T00:00:00Z"));
  EXPECT_EQ(*feb.end, At("2028-03-01T00:00:00Z"));
  PeriodWindow dec = *PeriodAt("month", At("2026-12-31T23:00:00Z"));
  EXPECT_EQ(*dec.start, At("2026-12-01T00:00:00Z"));
  EXPECT_EQ(*dec.end, At("2027-01-01T00:00:00Z"));
  EXPECT_EQ(*PeriodAt("month", At("2026-01-01T00:00:00Z"))->start, At("2026-01-01T00:00:00Z"));
}

TEST(PeriodTest, TotalIsUnboundedAndUnknownIsAnError) {
  PeriodWindow total = *PeriodAt("total", At("2026-05-05T00:00:00Z"));
  EXPECT_FALSE(total.start);
  EXPECT_FALSE(total.end);
  Result<PeriodWindow> bad = PeriodAt("fortnight", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fortnight"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::quota
