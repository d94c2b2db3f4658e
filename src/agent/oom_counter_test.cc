#include "agent/oom_counter.h"

#include <gtest/gtest.h>

namespace mlcost::agent {
namespace {

TEST(OomCounterTest, ParsesTheOomKillLine) {
  EXPECT_EQ(ParseOomKillCount("low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n"), 2);
  EXPECT_EQ(ParseOomKillCount("oom 3\n"), std::nullopt);
  EXPECT_EQ(ParseOomKillCount("oom_kill x\n"), std::nullopt);
}

TEST(OomCounterTest, FindsTheCgroupV2Path) {
  EXPECT_EQ(ParseCgroupV2Path("0::/user.slice/user-1000.slice/session-2.scope\n"),
            "/user.slice/user-1000.slice/session-2.scope");
  EXPECT_EQ(ParseCgroupV2Path("12:memory:/docker/abc\n1:name=systemd:/docker/abc\n"), std::nullopt);
  EXPECT_EQ(ParseCgroupV2Path("0::/\n"), "/");
}

}  // namespace
}  // namespace mlcost::agent
