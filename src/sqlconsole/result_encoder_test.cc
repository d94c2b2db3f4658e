#include "sqlconsole/result_encoder.h"

#include <gtest/gtest.h>

namespace mlcost::sqlconsole {
namespace {

int128 Pow10(int n) {
  int128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

TEST(DecimalTextTest, PlacesThePointExactly) {
  EXPECT_EQ(DecimalText(12345, 2), "123.45");
  EXPECT_EQ(DecimalText(-5, 3), "-0.005");
  EXPECT_EQ(DecimalText(5, 3), "0.005");
  EXPECT_EQ(DecimalText(0, 2), "0.00");
  EXPECT_EQ(DecimalText(42, 0), "42");
  EXPECT_EQ(DecimalText(-1000, 3), "-1.000");
}

// 38 significant digits: no binary float could carry them.
TEST(DecimalTextTest, KeepsAllThirtyEightDigits) {
  int128 v = Pow10(37) * 9 + 1234567890123;  // 90000000000000000000000001234567890123
  EXPECT_EQ(DecimalText(v, 12), "90000000000000000000000001.234567890123");
  EXPECT_EQ(DecimalText(-v, 12), "-90000000000000000000000001.234567890123");
  EXPECT_EQ(DecimalText(1, 12), "0.000000000001");
}

}  // namespace
}  // namespace mlcost::sqlconsole
