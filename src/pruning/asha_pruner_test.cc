// Ray Tune's _Bracket docstring vector and max_t behaviour.
#include "pruning/asha_pruner.h"

#include <gtest/gtest.h>

#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::TestStudy;

TEST(AshaTest, MilestonesOfRaysDocstringBracket) {
  const PrunerConfig c =
      Config(R"({"type":"asha","params":{"grace_period":1,"max_t":10,"reduction_factor":2}})");
  EXPECT_EQ(AshaMilestones(c), (std::vector<double>{1, 2, 4, 8}));
  const PrunerConfig d = Config(R"({"type":"asha"})");  // 1, 4, 16, 64 under max_t 100
  EXPECT_EQ(AshaMilestones(d), (std::vector<double>{1, 4, 16, 64}));
}

TEST(AshaTest, RaysDocstringVector) {
  // _Bracket(min_t=1, max_t=10, rf=2, s=0): rewards 2 and 4 at t=1 continue; the rung cutoff
  // is percentile([2, 4], 50) = 3.0, so reward 1 is stopped. Mode "max": reward = metric.
  const PrunerConfig c =
      Config(R"({"type":"asha","params":{"grace_period":1,"max_t":10,"reduction_factor":2}})");
  TestStudy s(Direction::kMaximize);
  size_t t1 = s.Ask(), t2 = s.Ask(), t3 = s.Ask();
  s.Report(t1, 2, 1);
  EXPECT_FALSE(s.ShouldPrune(t1, c));
  s.Report(t2, 4, 1);
  EXPECT_FALSE(s.ShouldPrune(t2, c));
  s.Report(t3, 1, 1);
  EXPECT_TRUE(s.ShouldPrune(t3, c));
  EXPECT_EQ(s.study().trials[t3].system_attrs.at(AshaRungKey(0)), 1.0);  // recorded anyway
}

TEST(AshaTest, MinimizeNegatesTheMetric) {
  const PrunerConfig c =
      Config(R"({"type":"asha","params":{"grace_period":1,"max_t":10,"reduction_factor":2}})");
  TestStudy s(Direction::kMinimize);
  size_t t1 = s.Ask(), t2 = s.Ask(), t3 = s.Ask();
  s.Report(t1, 2, 1);
  s.ShouldPrune(t1, c);
  s.Report(t2, 4, 1);
  s.ShouldPrune(t2, c);
  s.Report(t3, 3.5, 1);  // reward -3.5 < cutoff -3.0
  EXPECT_TRUE(s.ShouldPrune(t3, c));
  size_t t4 = s.Ask();
  s.Report(t4, 1, 1);
  EXPECT_FALSE(s.ShouldPrune(t4, c));
}

TEST(AshaTest, MaxTFinishesWithoutPruning) {
  const PrunerConfig c = Config(R"({"type":"asha","params":{"max_t":10}})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1, 10);
  Result<Decision> d = Prune(s.study(), t, c);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d.value().finish);
  EXPECT_FALSE(d.value().prune);
}

TEST(AshaTest, EachRungJudgedOnce) {
  const PrunerConfig c =
      Config(R"({"type":"asha","params":{"grace_period":1,"max_t":10,"reduction_factor":2}})");
  TestStudy s(Direction::kMaximize);
  size_t t1 = s.Ask(), t2 = s.Ask();
  s.Report(t1, 5, 1);
  s.ShouldPrune(t1, c);
  s.Report(t2, 1, 1);
  EXPECT_TRUE(s.ShouldPrune(t2, c));
  s.Report(t2, 1, 1 + 0);  // repeated step: ignored, and rung 0 is already recorded
  EXPECT_FALSE(s.ShouldPrune(t2, c));
}

}  // namespace
}  // namespace mlcost::pruning
