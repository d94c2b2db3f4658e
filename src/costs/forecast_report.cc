#include "costs/forecast_report.h"

#include <algorithm>

namespace mlcost::costs {

Result<ForecastReport> ForecastMonth(store::Connection& conn, const ForecastQuery& query) {
  ForecastReport report;
  ASSIGN_OR_RETURN(std::optional<int64_t> last, LastCostDay(conn));
  if (query.month) {
    report.month = *query.month;
  } else if (last) {
    report.month = MonthOf(*last);
  } else {
    return report;
  }
  if (!last) return report;
  const int64_t as_of = std::min(*last, report.month.end_day - 1);
  report.as_of = as_of;

  SeriesQuery sq;
  sq.scope = query.scope;
  sq.metric = query.metric;
  sq.first_day = std::min(as_of, report.month.first_day) - std::max(0, query.history_days);
  sq.last_day = as_of;
  ASSIGN_OR_RETURN(std::vector<CostSeries> series, LoadDailySeries(conn, sq));
  const int64_t days_observed = std::max<int64_t>(0, as_of - report.month.first_day + 1);
  const int64_t skip = std::max<int64_t>(0, report.month.first_day - as_of - 1);
  const int64_t days_remaining = report.month.end_day - std::max(as_of + 1, report.month.first_day);
  report.days_observed = days_observed;
  report.days_remaining = days_remaining;
  for (const CostSeries& s : series) {
    ScopeForecast out{s.value, s.currency, {}};
    out.forecast = ForecastMonthEnd(s.daily, std::min<int64_t>(days_observed, s.daily.size()), skip,
                                    days_remaining, query.options);
    report.scopes.push_back(std::move(out));
  }
  return report;
}

}  // namespace mlcost::costs
