#include "quota/interval.h"

#include <gtest/gtest.h>

namespace mlcost::quota {
namespace {

TEST(IntervalTest, Units) {
  EXPECT_EQ(*ParseIntervalMs("60s"), 60000);
  EXPECT_EQ(*ParseIntervalMs("2m"), 120000);
  EXPECT_EQ(*ParseIntervalMs("1h"), 3600000);
  EXPECT_EQ(*ParseIntervalMs("500ms"), 500);
  EXPECT_EQ(*ParseIntervalMs("0.5"), 500);
  EXPECT_EQ(*ParseIntervalMs("0"), 0);
}

TEST(IntervalTest, Rejects) {
  for (const char* bad : {"", "s", "-1s", "abc", "5x", "25h", "1e400"}) {
    Result<int64_t> r = ParseIntervalMs(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("--quota-interval"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mlcost::quota
