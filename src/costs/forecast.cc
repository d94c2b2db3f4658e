#include "costs/forecast.h"

#include <algorithm>
#include <cmath>

#include "costs/decimal_convert.h"
#include "costs/robust_stats.h"
#include "costs/seasonal_baseline.h"

namespace mlcost::costs {

MonthForecast ForecastMonthEnd(const std::vector<Decimal>& history, int64_t days_observed, int64_t skip,
                               int64_t days_remaining, const ForecastOptions& options) {
  const DetectorOptions& o = options.baseline;
  const int64_t n = static_cast<int64_t>(history.size());
  MonthForecast f;
  f.days_observed = std::clamp<int64_t>(days_observed, 0, n);
  f.days_remaining = std::max<int64_t>(0, days_remaining);
  bool any_negative = false;
  std::vector<double> x(n);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = history[i].ToDouble();
    any_negative = any_negative || history[i] < Decimal();
    if (i >= n - f.days_observed) f.month_to_date += history[i];
  }
  const int level_window = o.level_window > 0 ? o.level_window : (o.period > 1 ? o.period : 7);
  SeasonalBaseline baseline(x, o.period, o.seasons, level_window);

  if (n > 0) {
    for (int64_t h = 0; h < f.days_remaining; ++h) {
      f.expected_remaining += DecimalFromDouble(baseline.ExpectedAt(n + std::max<int64_t>(0, skip) + h));
    }
  }
  f.forecast = f.month_to_date + f.expected_remaining;

  const int64_t window = o.residual_window > 0 ? o.residual_window : std::max(28, 4 * std::max(1, o.period));
  std::vector<double> errors;
  for (int64_t t = std::max<int64_t>(1, n - window); t < n; ++t) errors.push_back(x[t] - baseline.ExpectedAt(t));
  const double sigma = errors.size() >= 2 ? MadSigmaInPlace(errors) : 0.0;
  const Decimal half = DecimalFromDouble(options.interval_z * sigma * std::sqrt(static_cast<double>(f.days_remaining)));
  f.low = f.forecast - half;
  f.high = f.forecast + half;
  if (!any_negative && f.low < f.month_to_date) f.low = f.month_to_date;
  return f;
}

}  // namespace mlcost::costs
