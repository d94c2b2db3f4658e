// RunScenario: N concurrent keep-alive HTTP clients, one per thread and per series, each
// posting metric points to its own run as fast as the server answers.
#ifndef MLCOST_BENCH_LOAD_WORKER_H_
#define MLCOST_BENCH_LOAD_WORKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/stats.h"

namespace mlcost::bench {

enum class Endpoint {
  kLogBatch,   // POST /api/2.0/mlflow/runs/log-batch, points_per_request metrics each
  kLogMetric,  // POST /api/2.0/mlflow/runs/log-metric, one metric each
};

struct ScenarioSpec {
  // Label in the report ("log-batch", "log-metric", "baseline-batch10").
  std::string name;
  Endpoint endpoint = Endpoint::kLogBatch;
  // Points per request; must be 1 for kLogMetric.
  int points_per_request = 1;
  // The scenario ends after `seconds` or `max_requests` requests, whichever comes first.
  double seconds = 10;
  int64_t max_requests = 0;
};

// One client's target: the points of (run_id, key) with timestamps base_timestamp_ms + step.
struct Series {
  std::string run_id;
  std::string key;
  int64_t base_timestamp_ms = 0;
};

struct ScenarioResult {
  std::string name;
  int clients = 0;
  int points_per_request = 0;
  double elapsed_s = 0;
  // CPU time (user + system) the whole mlcost-bench process spent during the scenario: on a
  // small machine the client shares the cores with the server, so this shows its share.
  double client_cpu_s = 0;
  // CPU time of the spawned server during the scenario; -1 when unknown (--server).
  double server_cpu_s = -1;
  int64_t requests = 0;  // answered 200
  int64_t errors = 0;    // anything else, transport failures included
  int64_t points = 0;    // points in requests answered 200
  // Per client (same order as the series): the points acknowledged. The client wrote steps
  // 1..acked[i] and nothing else unless it stopped on an error.
  std::vector<int64_t> acked;
  // Per client: whether it stopped on an error (its acked count is then a lower bound).
  std::vector<bool> failed;
  // The first error of each failing client (at most 5), e.g. "HTTP 500: {...}".
  std::vector<std::string> error_samples;
  LatencySummary latency;

  double requests_per_s() const { return SafeRatio(static_cast<double>(requests), elapsed_s); }
  double points_per_s() const { return SafeRatio(static_cast<double>(points), elapsed_s); }
};

// Runs `spec` against the server at `base_url` ("http://host:port") with one thread and one
// keep-alive client per element of `series`. A client stops at its first error, since after a
// failed (possibly partly applied) request its acknowledged points are no longer exact; the
// error is counted and sampled, never retried. Blocks until all clients have stopped.
ScenarioResult RunScenario(const std::string& base_url, const ScenarioSpec& spec,
                           const std::vector<Series>& series);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_LOAD_WORKER_H_
