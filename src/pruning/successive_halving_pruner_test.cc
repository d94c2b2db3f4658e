// Vectors of Optuna's tests/pruners_tests/test_successive_halving.py.
#include "pruning/successive_halving_pruner.h"

#include <gtest/gtest.h>

#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::kNaN;
using testing::TestStudy;

const char* kSh12 =
    R"({"type":"successive_halving","params":{"min_resource":1,"reduction_factor":2,"min_early_stopping_rate":0}})";

TEST(SuccessiveHalvingTest, IntermediateValuesBothDirections) {
  for (auto [direction, value] : {std::pair{Direction::kMinimize, 2.0},
                                  std::pair{Direction::kMaximize, 0.5}}) {
    TestStudy s(direction);
    size_t t1 = s.Ask();
    s.Report(t1, 1, 1);
    EXPECT_FALSE(s.ShouldPrune(t1, Config(kSh12))) << "first trial";
    size_t t2 = s.Ask();
    EXPECT_FALSE(s.ShouldPrune(t2, Config(kSh12))) << "no intermediate value";
    s.Report(t2, value, 1);
    EXPECT_TRUE(s.ShouldPrune(t2, Config(kSh12))) << DirectionName(direction);
  }
}

TEST(SuccessiveHalvingTest, FirstTrialClimbsEveryRung) {
  TestStudy s;
  size_t t = s.Ask();
  for (int64_t step = 0; step < 10; ++step) {
    s.Report(t, 1, step);
    EXPECT_FALSE(s.ShouldPrune(t, Config(kSh12))) << step;
  }
  const auto& attrs = s.study().trials[t].system_attrs;
  for (int rung = 0; rung < 4; ++rung) EXPECT_TRUE(attrs.contains(CompletedRungKey(rung)));
  EXPECT_FALSE(attrs.contains(CompletedRungKey(4)));  // promotion step 16 not reached
}

TEST(SuccessiveHalvingTest, RungCheck) {
  TestStudy s;
  for (int i = 0; i < 7; ++i) {
    size_t t = s.Ask();
    s.Report(t, 0.1 * (i + 1), 7);
    s.ShouldPrune(t, Config(kSh12));
  }
  auto rungs_after = [&](double value) {
    size_t t = s.Ask();
    s.Report(t, value, 7);
    s.ShouldPrune(t, Config(kSh12));
    return s.study().trials[t].system_attrs;
  };
  auto a = rungs_after(0.75);
  EXPECT_TRUE(a.contains("completed_rung_0"));
  EXPECT_FALSE(a.contains("completed_rung_1"));
  auto b = rungs_after(0.25);
  EXPECT_TRUE(b.contains("completed_rung_1"));
  EXPECT_FALSE(b.contains("completed_rung_2"));
  auto c = rungs_after(0.05);
  EXPECT_TRUE(c.contains("completed_rung_2"));
  EXPECT_FALSE(c.contains("completed_rung_3"));
}

TEST(SuccessiveHalvingTest, NaNAtPromotionStepIsPruned) {
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, kNaN, 1);
  EXPECT_TRUE(s.ShouldPrune(t, Config(kSh12)));
}

TEST(SuccessiveHalvingTest, AutoMinResourceWaitsForACompleteTrial) {
  const PrunerConfig c = Config(R"({"type":"successive_halving"})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 5, 300);
  Result<Decision> d = Prune(s.study(), t, c);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d.value().prune);
  EXPECT_TRUE(d.value().system_attrs.empty());
  size_t done = s.Ask();
  s.Report(done, 1, 250);  // r = max(250 // 100, 1) = 2
  s.SetState(done, TrialState::kComplete);
  d = Prune(s.study(), t, c);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().resolved.at("min_resource"), 2);
}

TEST(SuccessiveHalvingTest, BootstrapCountPrunesUntilEnoughValues) {
  const PrunerConfig c = Config(
      R"({"type":"successive_halving","params":{"min_resource":1,"reduction_factor":2,"bootstrap_count":2}})");
  TestStudy s;
  size_t t1 = s.Ask();
  s.Report(t1, 0.1, 1);
  EXPECT_TRUE(s.ShouldPrune(t1, c));  // 1 value <= 2
  size_t t2 = s.Ask();
  s.Report(t2, 0.1, 1);
  EXPECT_TRUE(s.ShouldPrune(t2, c));  // 2 values <= 2
  size_t t3 = s.Ask();
  s.Report(t3, 0.05, 1);
  EXPECT_FALSE(s.ShouldPrune(t3, c));  // 3 values, best of them
}

}  // namespace
}  // namespace mlcost::pruning
