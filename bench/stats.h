// Latency percentiles and throughput of one scenario.
#ifndef MLCOST_BENCH_STATS_H_
#define MLCOST_BENCH_STATS_H_

#include <cstdint>
#include <vector>

namespace mlcost::bench {

struct LatencySummary {
  int64_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Summarises request latencies in nanoseconds (order irrelevant; the vector is consumed).
// Percentiles use the nearest-rank method. All fields are 0 when `samples_ns` is empty.
LatencySummary Summarize(std::vector<int64_t> samples_ns);

// `numerator / denominator`, or 0 when the denominator is not positive (a scenario that did
// nothing must not print inf).
double SafeRatio(double numerator, double denominator);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_STATS_H_
