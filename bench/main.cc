// mlcost-bench: load generator for mlcost's MLflow ingest endpoints. Parses argv and calls
// RunBenchmark; see docs/performance.md.
#include <CLI/CLI.hpp>

#include "bench/bench.h"
#include "bench/bench_options.h"

int main(int argc, char** argv) {
  mlcost::bench::BenchOptions o;
  CLI::App app{
      "mlcost-bench: measures log-batch and log-metric throughput of an mlcost server against "
      "a 10-point-batch baseline in the same invocation, then reads every acknowledged point "
      "back. Exit code 0 only if all requests succeeded and the read-back matched."};
  app.add_option("--seconds", o.seconds, "Length of each of the three scenarios")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--batch-clients", o.batch_clients, "Concurrent clients for log-batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--metric-clients", o.metric_clients, "Concurrent clients for log-metric")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--points", o.points, "Metrics per log-batch request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--baseline-points", o.baseline_points, "Metrics per baseline request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-requests", o.max_requests, "Stop a scenario after this many requests")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--server", o.server_url,
                 "Bench a running server at this URL (http://host:port) instead of starting one");
  app.add_option("--mlcost", o.mlcost_binary,
                 "The mlcost executable to start (default: the one beside mlcost-bench)");
  app.add_flag("--json-only", o.json_only, "Print only the final JSON line on stdout");
  app.add_flag("--keep-data", o.keep_data, "Keep the spawned server's data directory");
  CLI11_PARSE(app, argc, argv);
  return mlcost::bench::RunBenchmark(o);
}
