#include "bench/stats.h"

#include <algorithm>
#include <cmath>

namespace mlcost::bench {

namespace {

constexpr double kNsPerMs = 1e6;

// Nearest rank: the smallest sample with at least p of all samples at or below it.
double Percentile(const std::vector<int64_t>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / kNsPerMs;
}

}  // namespace

LatencySummary Summarize(std::vector<int64_t> samples_ns) {
  LatencySummary s;
  if (samples_ns.empty()) return s;
  std::sort(samples_ns.begin(), samples_ns.end());
  s.count = static_cast<int64_t>(samples_ns.size());
  double total = 0;
  for (int64_t v : samples_ns) total += static_cast<double>(v);
  s.mean_ms = total / static_cast<double>(s.count) / kNsPerMs;
  s.p50_ms = Percentile(samples_ns, 0.50);
  s.p99_ms = Percentile(samples_ns, 0.99);
  s.max_ms = static_cast<double>(samples_ns.back()) / kNsPerMs;
  return s;
}

double SafeRatio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

}  // namespace mlcost::bench
