#include "pruning/numpy_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace mlcost::pruning {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Lerp(double a, double b, double t) {
  const double diff_b_a = b - a;
  if (t >= 0.5) return b - diff_b_a * (1 - t);
  return a + diff_b_a * t;
}

}  // namespace

double NanPercentile(std::vector<double> values, double percentile) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  std::sort(values.begin(), values.end());
  return PercentileOfSorted(values, percentile);
}

double PercentileOfSorted(const std::vector<double>& values, double percentile) {
  if (values.empty()) return kNaN;
  const double q = percentile / 100.0;
  const int64_t n = static_cast<int64_t>(values.size());
  const double virtual_index = static_cast<double>(n - 1) * q;
  // numpy marks an index at or past the end as -1 (the last element) and then computes
  // gamma = virtual_index - (-1); a negative index (q < 0) is clamped to 0.
  int64_t previous = static_cast<int64_t>(std::floor(virtual_index));
  int64_t next = previous + 1;
  double previous_for_gamma = static_cast<double>(previous);
  if (virtual_index >= static_cast<double>(n - 1)) {
    previous = next = n - 1;
    previous_for_gamma = -1;
  } else if (virtual_index < 0) {
    previous = next = 0;
    previous_for_gamma = 0;
  }
  const double gamma = virtual_index - previous_for_gamma;
  return Lerp(values[previous], values[next], gamma);
}

double NanMin(const std::vector<double>& values) {
  double best = kNaN;
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (std::isnan(best) || v < best) best = v;
  }
  return best;
}

double NanMax(const std::vector<double>& values) {
  double best = kNaN;
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (std::isnan(best) || v > best) best = v;
  }
  return best;
}

}  // namespace mlcost::pruning
