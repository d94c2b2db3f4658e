#include "pruning/numpy_stats.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace mlcost::pruning {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Expected values are numpy 1.24's np.nanpercentile outputs, worked by hand from its
// definition (rank (n-1)q, linear interpolation), not produced by this code.
TEST(NanPercentileTest, LinearInterpolationBetweenRanks) {
  EXPECT_DOUBLE_EQ(NanPercentile({2, 4}, 50), 3.0);
  EXPECT_DOUBLE_EQ(NanPercentile({4, 1, 3, 2}, 50), 2.5);
  EXPECT_DOUBLE_EQ(NanPercentile({1, 2, 3, 4, 5}, 25), 2.0);
  EXPECT_DOUBLE_EQ(NanPercentile({1, 2, 3, 4}, 75), 3.25);
  EXPECT_DOUBLE_EQ(NanPercentile({10, 20}, 0), 10.0);
  EXPECT_DOUBLE_EQ(NanPercentile({10, 20}, 100), 20.0);
}

TEST(NanPercentileTest, NaNsAreDroppedAndAllNaNIsNaN) {
  EXPECT_DOUBLE_EQ(NanPercentile({kNaN, 1, kNaN, 3}, 50), 2.0);
  EXPECT_TRUE(std::isnan(NanPercentile({kNaN, kNaN}, 50)));
  EXPECT_TRUE(std::isnan(NanPercentile({}, 50)));
}

TEST(NanPercentileTest, InfinityNeighboursGiveNaNAsInNumpy) {
  // np.nanpercentile([1, inf], 50) is nan: inf - 1 = inf, inf - inf*0.5 = nan.
  EXPECT_TRUE(std::isnan(NanPercentile({1, kInf}, 50)));
  // np.nanpercentile([1, inf], 100) is nan too: the last element is interpolated with itself.
  EXPECT_TRUE(std::isnan(NanPercentile({1, kInf}, 100)));
  EXPECT_DOUBLE_EQ(NanPercentile({1, 2, kInf}, 0), 1.0);
}

TEST(NanMinMaxTest, IgnoreNaN) {
  EXPECT_DOUBLE_EQ(NanMin({kNaN, 3, 1}), 1.0);
  EXPECT_DOUBLE_EQ(NanMax({kNaN, 3, 1}), 3.0);
  EXPECT_TRUE(std::isnan(NanMin({kNaN})));
}

}  // namespace
}  // namespace mlcost::pruning
