#include "costs/robust_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mlcost::costs {
namespace {

TEST(RobustStatsTest, MedianOfOddAndEvenCounts) {
  std::vector<double> odd = {5, 1, 3};
  EXPECT_EQ(MedianInPlace(odd), 3);
  std::vector<double> even = {4, 1, 3, 2};
  EXPECT_EQ(MedianInPlace(even), 2.5);
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(MedianInPlace(empty)));
}

TEST(RobustStatsTest, QuantileInterpolatesLikeNumpy) {
  // numpy.quantile([1, 2, 3, 4], [0.25, 0.75]) == [1.75, 3.25]
  std::vector<double> v = {4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(QuantileInPlace(v, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(QuantileInPlace(v, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(QuantileInPlace(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(QuantileInPlace(v, 1.0), 4);
}

TEST(RobustStatsTest, MadSigmaIgnoresOneOutlier) {
  // deviations from the median 3: 2, 1, 0, 1, 97 -> MAD 1.
  std::vector<double> v = {1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(MadSigmaInPlace(v), 1.4826);
}

}  // namespace
}  // namespace mlcost::costs
