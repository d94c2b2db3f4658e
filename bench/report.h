// BenchReport: the figures of one mlcost-bench invocation, printed for people and as one JSON
// line for docs/performance.md. Also the published MLflow figures the baseline is compared to.
#ifndef MLCOST_BENCH_REPORT_H_
#define MLCOST_BENCH_REPORT_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/load_worker.h"

namespace mlcost::bench {

// Published, not measured here: mlflow/mlflow-go-backend benchmarks/README.md, k6 with 20
// virtual users for 30 s against PostgreSQL, test case LogMetricBatch10 (10 metrics per
// log-batch request): 10,224 iterations for the Python server and 32,827 for MLflow-Go.
inline constexpr double kMlflowPythonBatch10ReqPerS = 10224.0 / 30.0;  // ~341
inline constexpr double kMlflowGoBatch10ReqPerS = 32827.0 / 30.0;      // ~1,094

// The durability self-check: every acknowledged point read back with get-history.
struct SelfCheck {
  bool ran = false;
  int64_t series = 0;   // (run, key) series read back
  int64_t skipped = 0;  // series of clients that stopped on an error (count unknown)
  int64_t points = 0;   // points read back and matched
  double seconds = 0;
  std::vector<std::string> problems;  // at most a few; empty when the check passed
};

struct BenchReport {
  BenchOptions options;
  std::string server;  // "spawned" or the --server URL
  std::vector<ScenarioResult> scenarios;  // in run order
  SelfCheck check;
  std::vector<std::string> failures;  // why the run fails (errors, self-check, server exit)

  bool ok() const { return failures.empty(); }
  // The scenario named `name`, or nullptr.
  const ScenarioResult* Find(const std::string& name) const;
};

// One human-readable line for a finished scenario.
void PrintScenario(const ScenarioResult& result, std::FILE* out);

// The ratios, the self-check and the verdict, for people.
void PrintSummary(const BenchReport& report, std::FILE* out);

// All figures as one JSON object on one line (no trailing newline).
std::string JsonLine(const BenchReport& report);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_REPORT_H_
