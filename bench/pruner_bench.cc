// mlcost-pruner-bench: the cost of one pruning decision (src/pruning) on a large in-memory study,
// Google Benchmark. The target is 10,000 runs x 1,000 steps at <= 50 us p50 per decision;
// the baseline is the least any decision must do with this model: read the value of every trial
// at the judged step (docs/performance.md, "Pruner decisions").
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "pruning/pruner.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace {

using mlcost::pruning::Study;

// `trials` complete trials with `steps` steps each, plus one running trial at step `steps` - 1.
Study MakeStudy(int trials, int steps) {
  Study study;
  study.name = "bench";
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> value(0.0, 1.0);
  for (int t = 0; t <= trials; ++t) {
    mlcost::pruning::Trial trial;
    trial.state = t < trials ? mlcost::pruning::TrialState::kComplete : mlcost::pruning::TrialState::kRunning;
    for (int s = 0; s < steps; ++s) trial.intermediate_values[s] = value(rng);
    study.trials.push_back(std::move(trial));
  }
  return study;
}

const Study& SharedStudy(int trials, int steps) {
  static Study study = MakeStudy(trials, steps);
  return study;
}

void BM_BaselineReadEveryTrialAtTheStep(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const int64_t step = state.range(1) - 1;
  for (auto _ : state) {
    double sum = 0;
    for (const auto& trial : study.trials) {
      auto it = trial.intermediate_values.find(step);
      if (it != trial.intermediate_values.end()) sum += it->second;
    }
    benchmark::DoNotOptimize(sum);
  }
}

void BM_MedianDecision(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  auto config = mlcost::pruning::ParsePrunerConfig({{"type", "median"}});
  if (!config.ok()) {
    state.SkipWithError(config.status().message().c_str());
    return;
  }
  const size_t judged = study.trials.size() - 1;
  for (auto _ : state) {
    auto decision = mlcost::pruning::Prune(study, judged, *config);
    benchmark::DoNotOptimize(decision);
  }
}

}  // namespace

BENCHMARK(BM_BaselineReadEveryTrialAtTheStep)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MedianDecision)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
