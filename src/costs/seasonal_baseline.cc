#include "costs/seasonal_baseline.h"

#include <algorithm>

#include "costs/robust_stats.h"

namespace mlcost::costs {

SeasonalBaseline::SeasonalBaseline(std::vector<double> values, int period, int seasons, int level_window)
    : values_(std::move(values)), period_(std::max(1, period)), seasons_(std::max(1, seasons)) {
  const int64_t n = size();
  const int64_t window = std::max(1, level_window);
  level_.assign(n + 1, 0.0);
  any_negative_.assign(n + 1, false);
  std::vector<double> scratch;
  for (int64_t t = 1; t <= n; ++t) {
    const int64_t begin = std::max<int64_t>(0, t - window);
    scratch.assign(values_.begin() + begin, values_.begin() + t);
    level_[t] = MedianInPlace(scratch);
    any_negative_[t] = any_negative_[t - 1] || values_[t - 1] < 0;
  }
}

double SeasonalBaseline::LevelAt(int64_t t) const { return level_[std::min(t, size())]; }

double SeasonalBaseline::ExpectedAt(int64_t t) const {
  const int64_t n = size();
  if (t < 1 || n == 0) return 0.0;
  const double level = LevelAt(t);
  double offset = 0.0;
  if (period_ > 1) {
    std::vector<double> deviations;
    // The first j whose point lies inside the series (u <= n - 1).
    int64_t j = t <= n - 1 ? 1 : (t - (n - 1) + period_ - 1) / period_;
    for (; static_cast<int>(deviations.size()) < seasons_; ++j) {
      const int64_t u = t - j * period_;
      if (u < 1) break;
      deviations.push_back(values_[u] - level_[u]);
    }
    if (!deviations.empty()) offset = MedianInPlace(deviations);
  }
  double expected = level + offset;
  if (expected < 0 && !any_negative_[std::min(t, n)]) expected = 0.0;
  return expected;
}

}  // namespace mlcost::costs
