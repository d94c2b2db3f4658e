// Vectors of Optuna's tests/pruners_tests/test_threshold.py.
#include "pruning/threshold_pruner.h"

#include <gtest/gtest.h>

#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::kNaN;
using testing::TestStudy;

TEST(ThresholdPrunerTest, Bounds) {
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1.0, 1);
  EXPECT_FALSE(s.ShouldPrune(t, Config(R"({"type":"threshold","params":{"upper":2.0}})")));
  s.Report(t, 3.0, 2);
  EXPECT_TRUE(s.ShouldPrune(t, Config(R"({"type":"threshold","params":{"upper":2.0}})")));
  size_t u = s.Ask();
  s.Report(u, 1.0, 1);
  EXPECT_TRUE(s.ShouldPrune(u, Config(R"({"type":"threshold","params":{"lower":2.0}})")));
  EXPECT_FALSE(s.ShouldPrune(u, Config(R"({"type":"threshold","params":{"lower":0.0,"upper":1.0}})")));
}

TEST(ThresholdPrunerTest, NaNIsPruned) {
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, kNaN, 1);
  EXPECT_TRUE(s.ShouldPrune(t, Config(R"({"type":"threshold","params":{"lower":0.0,"upper":1.0}})")));
}

TEST(ThresholdPrunerTest, WarmupAndInterval) {
  const PrunerConfig c = Config(
      R"({"type":"threshold","params":{"upper":2.0,"n_warmup_steps":2,"interval_steps":2}})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 3.0, 0);
  EXPECT_FALSE(s.ShouldPrune(t, c)) << "warm-up";
  s.Report(t, 3.0, 1);
  EXPECT_FALSE(s.ShouldPrune(t, c)) << "warm-up";
  s.Report(t, 3.0, 2);
  EXPECT_TRUE(s.ShouldPrune(t, c)) << "pruning point 2";
  s.Report(t, 3.0, 3);
  EXPECT_FALSE(s.ShouldPrune(t, c)) << "not a pruning point";
  s.Report(t, 3.0, 4);
  EXPECT_TRUE(s.ShouldPrune(t, c)) << "pruning point 4";
}

TEST(ThresholdPrunerTest, LatestValueNotBestIsJudged) {
  const PrunerConfig c = Config(R"({"type":"threshold","params":{"upper":2.0}})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 3.0, 0);
  s.Report(t, 1.0, 1);
  EXPECT_FALSE(s.ShouldPrune(t, c));
}

}  // namespace
}  // namespace mlcost::pruning
