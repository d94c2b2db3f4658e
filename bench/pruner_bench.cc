// mlcost-pruner-bench: the cost of one pruning decision (src/pruning) on a large in-memory study,
// Google Benchmark. The target is 10,000 runs x 1,000 steps at <= 50 us p50 per decision.
// Two ways to decide, same study, same invocation:
//   scan    — pruning::Prune(): gathers every complete trial's value at the judged step (the
//             server's path without an index, after loading the study);
//   indexed — PercentilePruneIndexed() over a StepValuesIndex (the server's PrunerIndex).
// Plus the least a scan must do (read every trial's value at the step), the index build from
// scratch and the insertion of one completed trial. Each decision benchmark reports its p50 per
// decision (counter p50_us, timed per iteration); after the run the indexed / scan ratio and a
// self-check (both paths give the same decision) are printed (docs/performance.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "pruning/percentile_pruner.h"
#include "pruning/pruner.h"
#include "pruning/pruner_config.h"
#include "pruning/step_values_index.h"
#include "pruning/study.h"

namespace {

using mlcost::pruning::StepValuesIndex;
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

StepValuesIndex BuildIndex(const Study& study) {
  std::vector<const std::map<int64_t, double>*> complete;
  for (const auto& trial : study.trials) {
    if (trial.state == mlcost::pruning::TrialState::kComplete) complete.push_back(&trial.intermediate_values);
  }
  return StepValuesIndex::Build(complete);
}

const StepValuesIndex& SharedIndex(int trials, int steps) {
  static StepValuesIndex index = BuildIndex(SharedStudy(trials, steps));
  return index;
}

mlcost::pruning::PrunerConfig MedianConfig() {
  auto config = mlcost::pruning::ParsePrunerConfig({{"type", "median"}});
  if (!config.ok()) std::abort();
  return *config;
}

double scan_p50_us = 0;
double indexed_p50_us = 0;

// Runs `decide` once per iteration, timing each; sets counter p50_us and returns it.
template <typename Fn>
double TimedP50(benchmark::State& state, Fn decide) {
  std::vector<double> us;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    decide();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  if (us.empty()) return 0;
  std::nth_element(us.begin(), us.begin() + us.size() / 2, us.end());
  const double p50 = us[us.size() / 2];
  state.counters["p50_us"] = p50;
  return p50;
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

void BM_MedianDecisionScan(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const auto config = MedianConfig();
  const size_t judged = study.trials.size() - 1;
  scan_p50_us = TimedP50(state, [&] {
    auto decision = mlcost::pruning::Prune(study, judged, config);
    benchmark::DoNotOptimize(decision);
  });
}

void BM_MedianDecisionIndexed(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const StepValuesIndex& index = SharedIndex(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const auto config = MedianConfig();
  const auto& judged = study.trials.back();
  indexed_p50_us = TimedP50(state, [&] {
    auto decision = mlcost::pruning::PercentilePruneIndexed(index, study.direction, judged, config);
    benchmark::DoNotOptimize(decision);
  });
}

void BM_IndexBuild(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    StepValuesIndex index = BuildIndex(study);
    benchmark::DoNotOptimize(index);
  }
}

// One trial completing: its 1,000 values inserted into an index of 10,000 trials.
void BM_IndexInsertCompletedTrial(benchmark::State& state) {
  const Study& study = SharedStudy(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  StepValuesIndex index = BuildIndex(study);
  const auto& trial = study.trials.back().intermediate_values;
  for (auto _ : state) index.AddCompleteTrial(trial);  // the index grows by one trial each time
}

// The two paths on the bench study must agree; prints the ratio the issue asks for.
bool SelfCheck() {
  const Study& study = SharedStudy(10000, 1000);
  const StepValuesIndex& index = SharedIndex(10000, 1000);
  const auto config = MedianConfig();
  auto scan = mlcost::pruning::Prune(study, study.trials.size() - 1, config);
  auto indexed = mlcost::pruning::PercentilePruneIndexed(index, study.direction, study.trials.back(), config);
  const bool same = scan.ok() && scan->prune == indexed.prune && scan->reason == indexed.reason;
  std::printf("check: indexed decision equals the scan (%s): %s\n", indexed.reason.c_str(), same ? "ok" : "FAILED");
  return same;
}

}  // namespace

BENCHMARK(BM_BaselineReadEveryTrialAtTheStep)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MedianDecisionScan)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MedianDecisionIndexed)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IndexBuild)->Args({10000, 1000})->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_IndexInsertCompletedTrial)->Args({10000, 1000})->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const bool ok = SelfCheck();
  if (scan_p50_us > 0 && indexed_p50_us > 0) {
    std::printf("median decision p50: scan %.1f us, indexed %.2f us: indexed is %.0fx faster (target <= 50 us: %s)\n",
                scan_p50_us, indexed_p50_us, scan_p50_us / indexed_p50_us, indexed_p50_us <= 50 ? "met" : "MISSED");
  }
  return ok ? 0 : 1;
}
