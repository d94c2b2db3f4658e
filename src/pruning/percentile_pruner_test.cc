// The vectors of Optuna's tests/pruners_tests/test_median.py and test_percentile.py.
#include "pruning/percentile_pruner.h"

#include <vector>

#include <gtest/gtest.h>

#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::kNaN;
using testing::TestStudy;

TEST(MedianPrunerTest, OneTrialIsNotPruned) {
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1, 1);
  EXPECT_FALSE(s.ShouldPrune(t, Config(R"({"type":"median","params":{"n_startup_trials":0}})")));
}

TEST(MedianPrunerTest, IntermediateValuesBothDirections) {
  for (auto [direction, value] : {std::pair{Direction::kMinimize, 2.0},
                                  std::pair{Direction::kMaximize, 0.5}}) {
    const PrunerConfig c = Config(R"({"type":"median","params":{"n_startup_trials":0}})");
    TestStudy s(direction);
    size_t t1 = s.Ask();
    s.Report(t1, 1, 1);
    s.SetState(t1, TrialState::kComplete);
    size_t t2 = s.Ask();
    EXPECT_FALSE(s.ShouldPrune(t2, c)) << "no intermediate value yet";
    s.Report(t2, value, 1);
    EXPECT_TRUE(s.ShouldPrune(t2, c)) << DirectionName(direction);
  }
}

TEST(MedianPrunerTest, NaN) {
  const PrunerConfig c = Config(R"({"type":"median","params":{"n_startup_trials":0}})");
  TestStudy s;
  size_t t1 = s.Ask();
  s.Report(t1, kNaN, 1);
  EXPECT_FALSE(s.ShouldPrune(t1, c)) << "no previous trial";
  s.SetState(t1, TrialState::kComplete);
  size_t t2 = s.Ask();
  s.Report(t2, kNaN, 1);
  EXPECT_TRUE(s.ShouldPrune(t2, c)) << "best intermediate value is NaN";
  s.SetState(t2, TrialState::kComplete);
  size_t t3 = s.Ask();
  s.Report(t3, 1, 1);
  EXPECT_FALSE(s.ShouldPrune(t3, c)) << "median is NaN";
}

TEST(MedianPrunerTest, NStartupTrials) {
  const PrunerConfig c = Config(R"({"type":"median","params":{"n_startup_trials":2}})");
  TestStudy s;
  size_t t1 = s.Ask();
  s.Report(t1, 1, 1);
  s.SetState(t1, TrialState::kComplete);
  size_t t2 = s.Ask();
  s.Report(t2, 2, 1);
  EXPECT_FALSE(s.ShouldPrune(t2, c));
  s.SetState(t2, TrialState::kComplete);
  size_t t3 = s.Ask();
  s.Report(t3, 3, 1);
  EXPECT_TRUE(s.ShouldPrune(t3, c));
}

TEST(MedianPrunerTest, NWarmupSteps) {
  const PrunerConfig c =
      Config(R"({"type":"median","params":{"n_startup_trials":0,"n_warmup_steps":1}})");
  TestStudy s;
  size_t t1 = s.Ask();
  s.Report(t1, 1, 0);
  s.Report(t1, 1, 1);
  s.SetState(t1, TrialState::kComplete);
  size_t t2 = s.Ask();
  s.Report(t2, 2, 0);
  EXPECT_FALSE(s.ShouldPrune(t2, c));
  s.Report(t2, 2, 1);
  EXPECT_TRUE(s.ShouldPrune(t2, c));
}

struct IntervalCase {
  int64_t warmup, interval, report_every;
  std::vector<int64_t> expected;
};

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

TEST(MedianPrunerTest, IntervalSteps) {
  const std::vector<IntervalCase> cases = {
      {0, 1, 1, {0, 1, 2, 3, 4, 5}},
      {1, 1, 1, {1, 2, 3, 4, 5}},
      {1, 2, 1, {1, 3, 5}},
      {0, 3, 10, Range(0, 29)},
      {2, 3, 10, Range(10, 29)},
      {0, 10, 3, {0, 1, 2, 12, 13, 14, 21, 22, 23}},
      {2, 10, 3, {3, 4, 5, 12, 13, 14, 24, 25, 26}},
  };
  for (const IntervalCase& k : cases) {
    PrunerConfig c = Config(R"({"type":"median","params":{"n_startup_trials":0}})");
    c.n_warmup_steps = k.warmup;
    c.interval_steps = k.interval;
    TestStudy s;
    const int64_t last_step = k.expected.back() + 1;
    size_t ref = s.Ask();
    for (int64_t i = 0; i < last_step; ++i) s.Report(ref, 0, i);
    s.SetState(ref, TrialState::kComplete);
    size_t t = s.Ask();
    std::vector<int64_t> pruned;
    for (int64_t i = 0; i < last_step; ++i) {
      if (i % k.report_every == 0) s.Report(t, 2, i);
      if (s.ShouldPrune(t, c)) pruned.push_back(i);
    }
    EXPECT_EQ(pruned, k.expected) << "warmup " << k.warmup << " interval " << k.interval
                                  << " report every " << k.report_every;
  }
}

TEST(MedianPrunerTest, NMinTrials) {
  const PrunerConfig c = Config(
      R"({"type":"median","params":{"n_startup_trials":2,"n_warmup_steps":0,"interval_steps":1,"n_min_trials":2}})");
  TestStudy s;
  size_t t1 = s.Ask();
  s.Report(t1, 4, 1);
  s.Report(t1, 2, 2);
  s.SetState(t1, TrialState::kComplete);
  size_t t2 = s.Ask();
  s.Report(t2, 3, 1);
  s.SetState(t2, TrialState::kComplete);
  size_t t3 = s.Ask();
  s.Report(t3, 4, 1);
  s.Report(t3, 3, 2);
  EXPECT_FALSE(s.ShouldPrune(t3, c));
  s.SetState(t3, TrialState::kComplete);
  size_t t4 = s.Ask();
  s.Report(t4, 4, 1);
  s.Report(t4, 3, 2);
  EXPECT_TRUE(s.ShouldPrune(t4, c));
}

TEST(PercentilePrunerTest, OnlyCompleteTrialsFormTheReference) {
  const PrunerConfig c =
      Config(R"({"type":"percentile","params":{"percentile":25.0,"n_startup_trials":0}})");
  TestStudy s;
  for (double v : {1.0, 2.0, 3.0, 4.0, 5.0}) {
    size_t t = s.Ask();
    s.Report(t, v, 0);
    s.SetState(t, TrialState::kComplete);
  }
  size_t pruned = s.Ask();
  s.Report(pruned, 0.0, 0);  // a PRUNED trial with a better value must not count
  s.SetState(pruned, TrialState::kPruned);
  // 25th percentile of 1..5 = 2.0: 2.0 is kept (strict), 2.01 is pruned.
  size_t t = s.Ask();
  s.Report(t, 2.0, 0);
  EXPECT_FALSE(s.ShouldPrune(t, c));
  size_t u = s.Ask();
  s.Report(u, 2.01, 0);
  EXPECT_TRUE(s.ShouldPrune(u, c));
}

TEST(PercentilePrunerTest, BestValueOverAllStepsIsCompared) {
  const PrunerConfig c = Config(R"({"type":"median","params":{"n_startup_trials":0}})");
  TestStudy s;
  size_t ref = s.Ask();
  s.Report(ref, 5, 0);
  s.Report(ref, 5, 1);
  s.SetState(ref, TrialState::kComplete);
  size_t t = s.Ask();
  s.Report(t, 1, 0);   // best so far 1 < 5
  s.Report(t, 9, 1);   // latest is worse, but the best is compared
  EXPECT_FALSE(s.ShouldPrune(t, c));
}

}  // namespace
}  // namespace mlcost::pruning
