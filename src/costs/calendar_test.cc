#include "costs/calendar.h"

#include <gtest/gtest.h>

namespace mlcost::costs {
namespace {

TEST(CalendarTest, DaysRoundTrip) {
  EXPECT_EQ(FormatDay(0), "1970-01-01");
  EXPECT_EQ(FormatDay(-1), "1969-12-31");
  auto day = ParseDay("2024-09-01");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(FormatDay(*day), "2024-09-01");
  auto with_time = ParseDay("2024-09-01T23:59:59Z");
  ASSERT_TRUE(with_time.ok());
  EXPECT_EQ(*with_time, *day);
  EXPECT_FALSE(ParseDay("yesterday").ok());
}

TEST(CalendarTest, MonthsKnowTheirLength) {
  auto feb = ParseMonth("2024-02");
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(feb->end_day - feb->first_day, 29);
  EXPECT_EQ(FormatDay(feb->first_day), "2024-02-01");
  EXPECT_EQ(feb->ToString(), "2024-02");
  auto dec = ParseMonth("2023-12");
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(FormatDay(dec->end_day), "2024-01-01");
  EXPECT_EQ(MonthOf(*ParseDay("2024-02-29")).first_day, feb->first_day);
  for (const char* bad : {"2024-13", "2024-1", "2024/02", "24-02-01", "2024-0x", ""}) {
    EXPECT_FALSE(ParseMonth(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace mlcost::costs
