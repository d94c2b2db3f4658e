// BenchOptions: what `mlcost-bench` is asked to do. Parsed from argv in main.cc.
#ifndef MLCOST_BENCH_BENCH_OPTIONS_H_
#define MLCOST_BENCH_BENCH_OPTIONS_H_

#include <cstdint>
#include <string>

namespace mlcost::bench {

struct BenchOptions {
  // Wall-clock length of each of the three scenarios. Default 10 s (about 35 s in total).
  double seconds = 10;
  // Concurrent keep-alive clients for the log-batch scenarios (ours and the baseline). Default 16.
  int batch_clients = 16;
  // Concurrent keep-alive clients for the log-metric scenario. Default 64.
  int metric_clients = 64;
  // Metrics per log-batch request in scenario A. Default 1000 (MLflow's MAX_METRICS_PER_BATCH).
  int points = 1000;
  // Metrics per log-batch request in the baseline scenario C. Default 10, the batch size of
  // MLflow's published figures.
  int baseline_points = 10;
  // Upper bound on requests per scenario, whichever of it and `seconds` comes first.
  // Default 5,000,000.
  int64_t max_requests = 5'000'000;
  // Base URL of an already running server ("http://host:port"). Default empty: start
  // `<dir of mlcost-bench>/mlcost serve` on a fresh data directory and stop it at the end.
  std::string server_url;
  // The mlcost executable to start when server_url is empty. Default empty: the `mlcost`
  // beside this executable.
  std::string mlcost_binary;
  // Print only the final JSON line on stdout. Default false.
  bool json_only = false;
  // Keep the temporary data directory instead of deleting it. Default false.
  bool keep_data = false;
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_BENCH_OPTIONS_H_
