#include "costs/robust_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlcost::costs {

double QuantileInPlace(std::vector<double>& values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  std::nth_element(values.begin(), values.begin() + lo, values.end());
  const double lo_value = values[lo];
  if (frac == 0.0 || lo + 1 >= values.size()) return lo_value;
  // The next order statistic is the smallest element of the upper part.
  const double hi_value = *std::min_element(values.begin() + lo + 1, values.end());
  return lo_value + frac * (hi_value - lo_value);
}

double MedianInPlace(std::vector<double>& values) { return QuantileInPlace(values, 0.5); }

double MadSigmaInPlace(std::vector<double>& values) {
  const double median = MedianInPlace(values);
  if (std::isnan(median)) return median;
  for (double& v : values) v = std::fabs(v - median);
  return 1.4826 * MedianInPlace(values);
}

}  // namespace mlcost::costs
