#include "costs/anomaly_detector.h"

#include <algorithm>
#include <cmath>

#include "costs/decimal_convert.h"
#include "costs/robust_stats.h"
#include "costs/seasonal_baseline.h"

namespace mlcost::costs {
namespace {

int LevelWindow(const DetectorOptions& o) {
  if (o.level_window > 0) return o.level_window;
  return o.period > 1 ? o.period : 7;
}

int ResidualWindow(const DetectorOptions& o) {
  if (o.residual_window > 0) return o.residual_window;
  return std::max(28, 4 * std::max(1, o.period));
}

void FillImpact(PointResult& r, Decimal actual, Decimal expected) {
  r.evaluated = true;
  r.actual = actual;
  r.expected = expected;
  r.impact = actual - expected;
  if (!expected.IsZero()) r.impact_percent = r.impact.ToDouble() / expected.ToDouble() * 100.0;
}

}  // namespace

std::vector<PointResult> DetectAnomalies(const std::vector<Decimal>& values, const DetectorOptions& options) {
  const int64_t n = static_cast<int64_t>(values.size());
  std::vector<PointResult> out(n);
  std::vector<double> x(n);
  for (int64_t i = 0; i < n; ++i) x[i] = values[i].ToDouble();
  SeasonalBaseline baseline(x, options.period, options.seasons, LevelWindow(options));

  std::vector<double> residual(n, 0.0);
  std::vector<double> expected(n, 0.0);
  for (int64_t t = 1; t < n; ++t) {
    expected[t] = baseline.ExpectedAt(t);
    residual[t] = x[t] - expected[t];
  }
  const int64_t window = ResidualWindow(options);
  const double min_impact = options.min_impact.ToDouble();
  std::vector<double> past;
  for (int64_t t = std::max(1, options.min_history); t < n; ++t) {
    PointResult& r = out[t];
    FillImpact(r, values[t], DecimalFromDouble(expected[t]));
    past.assign(residual.begin() + std::max<int64_t>(1, t - window), residual.begin() + t);
    const double q1 = QuantileInPlace(past, 0.25);
    const double q3 = QuantileInPlace(past, 0.75);
    const double iqr = std::max(q3 - q1, options.min_scale_fraction * std::fabs(expected[t]));
    const double impact = r.impact.ToDouble();
    const double needed = std::max(min_impact, options.min_impact_fraction * std::fabs(expected[t]));
    const bool up = residual[t] > q3 + options.fence_k * iqr && impact > 0 && impact >= needed;
    const bool down = residual[t] < q1 - options.fence_k * iqr && impact < 0 && -impact >= needed;
    switch (options.direction) {
      case Direction::kUp: r.anomaly = up; break;
      case Direction::kDown: r.anomaly = down; break;
      case Direction::kBoth: r.anomaly = up || down; break;
    }
  }
  return out;
}

std::vector<PointResult> DetectWithRule(const std::vector<Decimal>& values, const RuleOptions& options) {
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t w = std::max(1, options.window);
  std::vector<PointResult> out(n);
  Decimal sum;
  for (int64_t t = 0; t < n; ++t) {
    if (t >= w) {
      PointResult& r = out[t];
      FillImpact(r, values[t], sum.DivInt(w));
      // today > (sum / w) * (100 + p) / 100, compared exactly in integers of 10^-12.
      r.anomaly = values[t].MulInt(100 * w) > sum.MulInt(100 + options.threshold_percent);
      sum -= values[t - w];
    }
    sum += values[t];
  }
  return out;
}

}  // namespace mlcost::costs
