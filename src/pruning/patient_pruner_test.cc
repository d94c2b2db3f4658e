// Vectors in the spirit of Optuna's tests/pruners_tests/test_patient.py.
#include "pruning/patient_pruner.h"

#include <gtest/gtest.h>

#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::TestStudy;

TEST(PatientPrunerTest, PrunesAfterPatienceWithoutImprovement) {
  // Optuna test_patient_pruner_patience: patience 1, values 1, 2 (minimize) -> not pruned
  // (2 steps <= patience + 1), then 3 -> pruned: min(before)=1 < min(after)=2.
  for (auto [direction, values] :
       {std::pair{Direction::kMinimize, std::vector<double>{1, 2, 3}},
        std::pair{Direction::kMaximize, std::vector<double>{3, 2, 1}}}) {
    const PrunerConfig c = Config(R"({"type":"patient","params":{"patience":1}})");
    TestStudy s(direction);
    size_t t = s.Ask();
    s.Report(t, values[0], 0);
    EXPECT_FALSE(s.ShouldPrune(t, c));
    s.Report(t, values[1], 1);
    EXPECT_FALSE(s.ShouldPrune(t, c));
    s.Report(t, values[2], 2);
    EXPECT_TRUE(s.ShouldPrune(t, c)) << DirectionName(direction);
  }
}

TEST(PatientPrunerTest, MinDelta) {
  // min(before) + min_delta = 1 + 0.5 < 1.4 is false: not pruned; 1.6 is pruned.
  const PrunerConfig c =
      Config(R"({"type":"patient","params":{"patience":0,"min_delta":0.5}})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1.0, 0);
  s.Report(t, 1.4, 1);
  EXPECT_FALSE(s.ShouldPrune(t, c));
  size_t u = s.Ask();
  s.Report(u, 1.0, 0);
  s.Report(u, 1.6, 1);
  EXPECT_TRUE(s.ShouldPrune(u, c));
}

TEST(PatientPrunerTest, WrappedPrunerDecides) {
  // Stalled, but the wrapped median pruner has no complete trial yet: not pruned.
  const PrunerConfig c = Config(
      R"({"type":"patient","params":{"patience":0},"wrapped":{"type":"median","params":{"n_startup_trials":0}}})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1.0, 0);
  s.Report(t, 2.0, 1);
  EXPECT_FALSE(s.ShouldPrune(t, c));
  size_t done = s.Ask();
  s.Report(done, 0.5, 0);
  s.Report(done, 0.5, 1);
  s.SetState(done, TrialState::kComplete);
  EXPECT_TRUE(s.ShouldPrune(t, c));  // and now the median says prune
}

}  // namespace
}  // namespace mlcost::pruning
