// Month-end forecast of one daily cost series: the month-to-date actual plus the weekday-aware
// baseline (SeasonalBaseline) of each remaining day, with an interval from the spread of the
// baseline's past one-day errors. Method: docs/anomalies.md.
#ifndef MLCOST_COSTS_FORECAST_H_
#define MLCOST_COSTS_FORECAST_H_

#include <cstdint>
#include <vector>

#include "common/decimal.h"
#include "costs/anomaly_detector.h"

namespace mlcost::costs {

struct ForecastOptions {
  // period, seasons, level_window and residual_window of the baseline (the detector's defaults).
  DetectorOptions baseline;
  // z of the two-sided interval: 1.2816 gives an 80 % interval if daily errors were independent
  // and normal. Default 1.2816.
  double interval_z = 1.2816;
};

struct MonthForecast {
  Decimal month_to_date;       // exact sum of the observed days of the month
  Decimal expected_remaining;  // sum of the baseline over the remaining days
  Decimal forecast;            // month_to_date + expected_remaining
  Decimal low;                 // interval; low >= month_to_date when the history has no negative day
  Decimal high;
  int64_t days_observed = 0;
  int64_t days_remaining = 0;
};

// `history`: the daily series up to and including the last observed day; its last
// `days_observed` values (<= history.size()) lie in the month. The forecast sums the baseline of
// days history.size() + skip .. history.size() + skip + days_remaining - 1 (skip > 0 when the
// month starts after the last observed day). interval = forecast ± z * sigma * sqrt(days_remaining),
// sigma = 1.4826 * MAD of the baseline's errors over the last residual_window days (0 with fewer
// than two). Pure; never fails.
MonthForecast ForecastMonthEnd(const std::vector<Decimal>& history, int64_t days_observed, int64_t skip,
                               int64_t days_remaining, const ForecastOptions& options);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_FORECAST_H_
