#include "explorer/run_billing.h"

#include <gtest/gtest.h>

namespace mlcost::explorer {
namespace {

constexpr Micros kHour = 3600LL * kMicrosPerSecond;

Decimal D(const char* s) { return *Decimal::Parse(s); }

TEST(ProrateLines, ChargesTheCoveredFractionOfEachLine) {
  // Three hourly lines 10:00, 11:00, 12:00 at $1.20, $1.20, $0.60; effective = half.
  std::vector<BillLine> lines = {{10 * kHour, 11 * kHour, "USD", D("1.2"), D("0.6")},
                                 {11 * kHour, 12 * kHour, "USD", D("1.2"), D("0.6")},
                                 {12 * kHour, 13 * kHour, "USD", D("0.6"), D("0.3")}};
  // A run from 10:30 to 12:15: half of line 1, all of line 2, a quarter of line 3.
  RunBill bill = ProrateLines(lines, {{10 * kHour + kHour / 2, 12 * kHour + kHour / 4}});
  EXPECT_EQ(bill.lines, 3);
  EXPECT_EQ(bill.billed["USD"], D("0.6") + D("1.2") + D("0.15"));
  EXPECT_EQ(bill.effective["USD"], D("0.3") + D("0.6") + D("0.075"));

  // Two attempts inside one line: 10:00-10:10 and 10:40-11:00 -> 30 of 60 minutes.
  bill = ProrateLines(lines, {{10 * kHour, 10 * kHour + kHour / 6}, {10 * kHour + 2 * kHour / 3, 11 * kHour}});
  EXPECT_EQ(bill.lines, 1);
  EXPECT_EQ(bill.billed["USD"], D("0.6"));

  EXPECT_EQ(ProrateLines(lines, {{13 * kHour, 14 * kHour}}).lines, 0);
}

TEST(ProrateLines, InstantLinesCountWhenTheyStartInsideAWindow) {
  std::vector<BillLine> lines = {{10 * kHour, 10 * kHour, "EUR", D("5"), D("5")}};
  EXPECT_EQ(ProrateLines(lines, {{9 * kHour, 11 * kHour}}).billed["EUR"], D("5"));
  EXPECT_EQ(ProrateLines(lines, {{11 * kHour, 12 * kHour}}).lines, 0);
}

}  // namespace
}  // namespace mlcost::explorer
