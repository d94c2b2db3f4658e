// ForecastMonth: the month-end forecast of every series of a scope. What GET /api/v1/forecast
// answers.
#ifndef MLCOST_COSTS_FORECAST_REPORT_H_
#define MLCOST_COSTS_FORECAST_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.h"
#include "costs/cost_series_loader.h"
#include "costs/forecast.h"
#include "store/connection.h"

namespace mlcost::costs {

struct ForecastQuery {
  Scope scope;
  CostMetric metric = CostMetric::kEffective;
  // Empty = the month of the last day with costs.
  std::optional<Month> month;
  // Days of history before the month's last observed day. Default 63.
  int history_days = 63;
  ForecastOptions options;
};

struct ScopeForecast {
  std::string value;
  std::string currency;
  MonthForecast forecast;
};

struct ForecastReport {
  Month month;
  // The last day with costs that the forecast stands on (min(last cost day, month's last day));
  // empty when the table has no costs up to the month's end.
  std::optional<int64_t> as_of;
  int64_t days_observed = 0;   // days of the month up to as_of
  int64_t days_remaining = 0;  // days of the month after as_of
  std::vector<ScopeForecast> scopes;  // by value, currency
};

// An empty report (no scopes) when there is no cost on or before the month's last day; the
// store's errors otherwise.
Result<ForecastReport> ForecastMonth(store::Connection& conn, const ForecastQuery& query);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_FORECAST_REPORT_H_
