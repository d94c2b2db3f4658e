// Where a quota stands (docs/quotas.md, "Use" and "Forecast"): use against the limit, the
// fraction, the period-end forecast and a state. Pure functions of their arguments.
#ifndef MLCOST_QUOTA_QUOTA_STATUS_H_
#define MLCOST_QUOTA_QUOTA_STATUS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "quota/period.h"
#include "quota/quota.h"

namespace mlcost::quota {

// A scope's use in one period, in the quota's unit.
struct QuotaUse {
  Decimal runs;             // live run costs (or GPU-hours) inside the period
  Decimal billed;           // FOCUS bill lines of the scope not already counted through a run
  int64_t runs_counted = 0; // runs that overlapped the period and were counted
  int64_t runs_unpriced = 0;  // runs of the scope without a price (or in another currency)
  int64_t billed_lines = 0;
  Decimal total() const { return runs + billed; }
};

inline constexpr char kStateOk[] = "ok";
inline constexpr char kStateWarning[] = "warning";      // a threshold below 1.0 is passed
inline constexpr char kStateForecast[] = "forecast_over";  // the forecast passes the limit
inline constexpr char kStateExceeded[] = "exceeded";    // use >= limit

struct QuotaStatus {
  PeriodWindow window;
  QuotaUse use;
  Decimal limit;
  double fraction = 0;                // use / limit, for display only
  std::optional<Decimal> forecast;    // empty for total
  std::string state;
  std::vector<Decimal> crossed;       // thresholds with use >= threshold * limit, ascending
  bool exhausted() const { return state == kStateExceeded; }
};

// The use at the end of `window` if it keeps growing at its average rate so far:
// use + use * (end - now) / (now - start), in whole seconds (elapsed at least one second), exact
// and rounded half-to-even to 12 places. Empty when the window has no end (total) or now is
// outside it.
std::optional<Decimal> PeriodEndForecast(const Decimal& use, const PeriodWindow& window, Micros now);

// Judges `use` against `quota` at `now` in `window`.
QuotaStatus Judge(const Quota& quota, const QuotaUse& use, const PeriodWindow& window, Micros now);

// {quota, period_start, period_end, use, use_runs, use_billed, runs_counted, runs_unpriced,
//  billed_lines, limit, unit, currency, fraction, forecast, state, crossed_thresholds, as_of}.
nlohmann::json QuotaStatusToJson(const Quota& quota, const QuotaStatus& status, Micros now);

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_QUOTA_STATUS_H_
