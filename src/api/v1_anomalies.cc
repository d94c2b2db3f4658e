// GET /api/v1/anomalies: days whose cost of a scope value is far above (or below) its
// weekday-aware baseline (costs/anomaly_report.h, docs/anomalies.md). Money is a decimal string.
#include <cmath>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_cost_params.h"
#include "api/v1_handlers.h"
#include "costs/anomaly_report.h"
#include "costs/calendar.h"
#include "tracking/read_pool.h"

namespace mlcost::api::v1 {
namespace {

struct AnomalyParams {
  costs::AnomalyQuery query;
  Page page;
};

Result<costs::Direction> ParseDirection(Args args) {
  ASSIGN_OR_RETURN(std::string text, args.StringOr("direction", "up"));
  if (text == "up") return costs::Direction::kUp;
  if (text == "down") return costs::Direction::kDown;
  if (text == "both") return costs::Direction::kBoth;
  return InvalidArgument("parameter 'direction': invalid value \"" + text + "\": expected up, down or both");
}

Result<AnomalyParams> ParseParams(Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"scope", "metric", "since", "until", "min_impact", "min_impact_percent",
                                          "direction", "max_results", "page_token"}));
  AnomalyParams p;
  costs::AnomalyQuery& q = p.query;
  ASSIGN_OR_RETURN(q.scope, ParseScopeParam(args));
  ASSIGN_OR_RETURN(q.metric, ParseMetricParam(args));
  ASSIGN_OR_RETURN(q.since, ParseDayParam(args, "since"));
  ASSIGN_OR_RETURN(q.until, ParseDayParam(args, "until"));
  if (q.since && q.until && *q.since > *q.until) {
    return InvalidArgument("parameter 'since' must not be after 'until'");
  }
  ASSIGN_OR_RETURN(std::optional<Decimal> min_impact, ParseAmountParam(args, "min_impact"));
  if (min_impact) q.detector.min_impact = *min_impact;
  if (args.Has("min_impact_percent")) {
    ASSIGN_OR_RETURN(double percent, args.RequiredDouble("min_impact_percent"));
    if (!std::isfinite(percent) || percent < 0) {
      return InvalidArgument("parameter 'min_impact_percent' must be a non-negative number");
    }
    q.detector.min_impact_fraction = percent / 100.0;
  }
  ASSIGN_OR_RETURN(q.detector.direction, ParseDirection(args));
  ASSIGN_OR_RETURN(p.page, ParsePage(args));
  return p;
}

Json PercentJson(const std::optional<double>& percent) {
  if (!percent) return nullptr;
  return std::round(*percent * 100.0) / 100.0;
}

JsonResult ListAnomalies(ApiContext& ctx, Args args) {
  ASSIGN_OR_RETURN(AnomalyParams p, ParseParams(args));
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(costs::AnomalyReport report, costs::FindAnomalies(*conn, p.query));
  std::vector<Json> items;
  for (const costs::Anomaly& a : report.anomalies) {
    items.push_back(Json{{"scope", p.query.scope.name},
                         {"value", a.value},
                         {"date", costs::FormatDay(a.day)},
                         {"currency", a.currency},
                         {"expected", a.point.expected.ToString()},
                         {"actual", a.point.actual.ToString()},
                         {"impact", a.point.impact.ToString()},
                         {"impact_percent", PercentJson(a.point.impact_percent)}});
  }
  ASSIGN_OR_RETURN(auto page, Paginate(std::move(items), p.page));
  const bool empty = report.series == 0 && report.since == 0 && report.until == 0;
  return Json{{"scope", p.query.scope.name},
              {"metric", costs::CostMetricColumn(p.query.metric)},
              {"since", empty ? Json(nullptr) : Json(costs::FormatDay(report.since))},
              {"until", empty ? Json(nullptr) : Json(costs::FormatDay(report.until))},
              {"series", report.series},
              {"anomalies", std::move(page.first)},
              {"next_page_token", page.second}};
}

}  // namespace

void RegisterAnomalyRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/anomalies",
           JsonHandler([c](const ApiRequest&, Args args) { return ListAnomalies(*c, args); }));
}

}  // namespace mlcost::api::v1
