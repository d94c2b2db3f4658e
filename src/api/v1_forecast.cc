// GET /api/v1/forecast: the month-end forecast of each value of a scope — month-to-date actual plus
// the weekday-aware baseline of the remaining days, with an interval (costs/forecast_report.h,
// docs/anomalies.md). Money is a decimal string.
#include <map>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_cost_params.h"
#include "api/v1_handlers.h"
#include "costs/calendar.h"
#include "costs/forecast_report.h"
#include "tracking/read_pool.h"

namespace mlcost::api::v1 {
namespace {

Result<costs::ForecastQuery> ParseParams(Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"scope", "metric", "month"}));
  costs::ForecastQuery q;
  ASSIGN_OR_RETURN(q.scope, ParseScopeParam(args));
  ASSIGN_OR_RETURN(q.metric, ParseMetricParam(args));
  ASSIGN_OR_RETURN(std::optional<std::string> month, args.OptionalString("month"));
  if (month) {
    auto parsed = costs::ParseMonth(*month);
    if (!parsed.ok()) return InvalidArgument("parameter 'month': " + parsed.status().message());
    q.month = *parsed;
  }
  return q;
}

JsonResult Forecast(ApiContext& ctx, Args args) {
  ASSIGN_OR_RETURN(costs::ForecastQuery q, ParseParams(args));
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(costs::ForecastReport report, costs::ForecastMonth(*conn, q));
  Json items = Json::array();
  struct Total {
    Decimal month_to_date, forecast;
  };
  std::map<std::string, Total> totals;
  for (const costs::ScopeForecast& s : report.scopes) {
    const costs::MonthForecast& f = s.forecast;
    items.push_back(Json{{"value", s.value},
                         {"currency", s.currency},
                         {"month_to_date", f.month_to_date.ToString()},
                         {"expected_remaining", f.expected_remaining.ToString()},
                         {"forecast", f.forecast.ToString()},
                         {"interval", {{"low", f.low.ToString()}, {"high", f.high.ToString()}, {"level", 0.8}}},
                         {"days_observed", f.days_observed}});
    totals[s.currency].month_to_date += f.month_to_date;
    totals[s.currency].forecast += f.forecast;
  }
  Json total = Json::object();
  for (const auto& [currency, t] : totals) {
    total[currency] = {{"month_to_date", t.month_to_date.ToString()}, {"forecast", t.forecast.ToString()}};
  }
  const bool have_month = report.month.end_day > report.month.first_day;
  return Json{{"scope", q.scope.name},
              {"metric", costs::CostMetricColumn(q.metric)},
              {"month", have_month ? Json(report.month.ToString()) : Json(nullptr)},
              {"as_of", report.as_of ? Json(costs::FormatDay(*report.as_of)) : Json(nullptr)},
              {"days_observed", report.days_observed},
              {"days_remaining", report.days_remaining},
              {"forecasts", std::move(items)},
              {"total", std::move(total)}};
}

}  // namespace

void RegisterForecastRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/forecast",
           JsonHandler([c](const ApiRequest&, Args args) { return Forecast(*c, args); }));
}

}  // namespace mlcost::api::v1
