// StepValuesIndex and PercentilePruneIndexed against the scanning path (PercentilePrune,
// NanPercentile) on randomized studies: NaNs, ±inf, ties, missing steps, both directions,
// warm-up, intervals, n_min_trials; trials added one by one in random order and in bulk.
#include "pruning/step_values_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "pruning/numpy_stats.h"
#include "pruning/percentile_pruner.h"
#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::kNaN;

constexpr double kInf = std::numeric_limits<double>::infinity();

bool SameBits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

double RandomValue(std::mt19937_64& rng, int pool) {
  std::uniform_int_distribution<int> kind(0, 19);
  const int k = kind(rng);
  if (k == 0) return kNaN;
  if (k == 1) return kInf;
  if (k == 2) return -kInf;
  if (k < 10) return std::uniform_int_distribution<int>(0, pool)(rng) / 4.0;  // ties
  return std::uniform_real_distribution<double>(-5, 5)(rng);
}

std::map<int64_t, double> RandomHistory(std::mt19937_64& rng, int max_steps, int pool) {
  std::map<int64_t, double> values;
  const int steps = std::uniform_int_distribution<int>(0, max_steps)(rng);
  std::bernoulli_distribution skip(0.2);
  for (int s = 0; s < steps; ++s) {
    if (!skip(rng)) values[s] = RandomValue(rng, pool);
  }
  return values;
}

TEST(StepValuesIndexTest, PercentileEqualsNumpyReplicaBitForBit) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::map<int64_t, double>> trials(std::uniform_int_distribution<int>(0, 12)(rng));
    for (auto& t : trials) t = RandomHistory(rng, 4, 6);
    StepValuesIndex incremental;
    std::vector<const std::map<int64_t, double>*> pointers;
    for (const auto& t : trials) {
      incremental.AddCompleteTrial(t);
      pointers.push_back(&t);
    }
    const StepValuesIndex bulk = StepValuesIndex::Build(pointers);
    const double q = std::uniform_real_distribution<double>(0, 100)(rng);
    for (int64_t step = 0; step < 5; ++step) {
      std::vector<double> scanned;
      for (const auto& t : trials) {
        if (auto it = t.find(step); it != t.end()) scanned.push_back(it->second);
      }
      const double expected = NanPercentile(scanned, q);
      for (const StepValuesIndex* index : {static_cast<const StepValuesIndex*>(&incremental), &bulk}) {
        EXPECT_EQ(index->ReportedAt(step), static_cast<int64_t>(scanned.size()));
        EXPECT_TRUE(SameBits(index->NanPercentileAt(step, q), expected))
            << "round " << round << " step " << step << " q " << q << ": " << index->NanPercentileAt(step, q)
            << " vs " << expected;
      }
    }
    EXPECT_EQ(incremental.complete_trials(), static_cast<int64_t>(trials.size()));
    EXPECT_EQ(incremental.value_count(), bulk.value_count());
  }
}

TEST(StepValuesIndexTest, UnknownStepHasNoValues) {
  StepValuesIndex index;
  index.AddCompleteTrial({{0, 1.0}, {2, kNaN}});
  EXPECT_EQ(index.ReportedAt(1), 0);
  EXPECT_TRUE(std::isnan(index.NanPercentileAt(1, 50)));
  EXPECT_EQ(index.ReportedAt(2), 1);
  EXPECT_TRUE(std::isnan(index.NanPercentileAt(2, 50))) << "all NaN";
  EXPECT_EQ(index.NanPercentileAt(0, 50), 1.0);
}

// Studies of running, complete, pruned and failed trials; every running trial is judged at each
// of its steps as it reports, by the scan and by an index kept up to date as trials complete.
TEST(StepValuesIndexTest, IndexedDecisionsEqualScannedOnRandomStudies) {
  std::mt19937_64 rng(20261201);
  int64_t compared = 0;
  int64_t pruned = 0;
  for (int round = 0; round < 300; ++round) {
    const Direction direction = round % 2 == 0 ? Direction::kMinimize : Direction::kMaximize;
    const int n_startup = std::uniform_int_distribution<int>(0, 4)(rng);
    const int n_warmup = std::uniform_int_distribution<int>(0, 3)(rng);
    const int interval = std::uniform_int_distribution<int>(1, 3)(rng);
    const int n_min = std::uniform_int_distribution<int>(1, 3)(rng);
    const double percentile = round % 3 == 0 ? 50.0 : std::uniform_real_distribution<double>(0, 100)(rng);
    const std::string params = "{\"n_startup_trials\":" + std::to_string(n_startup) +
                               ",\"n_warmup_steps\":" + std::to_string(n_warmup) +
                               ",\"interval_steps\":" + std::to_string(interval) +
                               ",\"n_min_trials\":" + std::to_string(n_min);
    const PrunerConfig config =
        round % 3 == 0 ? Config("{\"type\":\"median\",\"params\":" + params + "}}")
                       : Config("{\"type\":\"percentile\",\"params\":" + params +
                                ",\"percentile\":" + std::to_string(percentile) + "}}");
    Study study;
    study.direction = direction;
    StepValuesIndex index;
    const int trials = std::uniform_int_distribution<int>(1, 40)(rng);
    for (int t = 0; t < trials; ++t) {
      study.trials.emplace_back();
      const size_t number = study.trials.size() - 1;
      const std::map<int64_t, double> history = RandomHistory(rng, 12, 8);
      for (const auto& [step, value] : history) {
        ASSERT_TRUE(study.trials[number].Report(step, value).ok());
        const Decision scanned = PercentilePrune(study, study.trials[number], config);
        const Decision indexed = PercentilePruneIndexed(index, direction, study.trials[number], config);
        ASSERT_EQ(indexed.prune, scanned.prune) << "round " << round << " trial " << t << " step " << step;
        ASSERT_EQ(indexed.reason, scanned.reason);
        ++compared;
        pruned += scanned.prune ? 1 : 0;
      }
      const int fate = std::uniform_int_distribution<int>(0, 9)(rng);
      Trial& trial = study.trials[number];
      if (fate < 6) {
        trial.state = TrialState::kComplete;
        index.AddCompleteTrial(trial.intermediate_values);
      } else {
        trial.state = fate < 8 ? TrialState::kPruned : fate < 9 ? TrialState::kFail : TrialState::kRunning;
      }
    }
  }
  EXPECT_GT(compared, 10000);
  EXPECT_GT(pruned, compared / 20) << "the studies must exercise both answers";
  EXPECT_LT(pruned, compared);
}

// The index must hold the complete trials only: a stale index (one complete trial left out)
// gives a different answer, so the comparison above can fail.
TEST(StepValuesIndexTest, MissingCompleteTrialChangesTheAnswer) {
  const PrunerConfig config = Config(R"({"type":"median","params":{"n_startup_trials":0}})");
  Study study;
  for (double v : {1.0, 2.0, 3.0}) {
    study.trials.emplace_back();
    ASSERT_TRUE(study.trials.back().Report(0, v).ok());
    study.trials.back().state = TrialState::kComplete;
  }
  Trial judged;
  ASSERT_TRUE(judged.Report(0, 2.5).ok());
  EXPECT_TRUE(PercentilePrune(study, judged, config).prune);  // 2.5 > median 2
  StepValuesIndex stale;  // trial 0 left out: median 2.5
  stale.AddCompleteTrial(study.trials[1].intermediate_values);
  stale.AddCompleteTrial(study.trials[2].intermediate_values);
  EXPECT_NE(PercentilePruneIndexed(stale, Direction::kMinimize, judged, config).prune,
            PercentilePrune(study, judged, config).prune);
}

}  // namespace
}  // namespace mlcost::pruning
