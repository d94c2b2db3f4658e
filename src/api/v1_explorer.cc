// GET /api/v1/costs: the cost explorer. Parameters (docs/costs.md): group_by (repeatable,
// comma lists), granularity, metric, filter (repeatable), since, until, top.
#include "api/v1_explorer.h"

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"

namespace mlcost::api::v1 {
namespace {

Result<std::string> StringParam(Args args, std::string_view key) {
  ASSIGN_OR_RETURN(auto v, args.StringList(key));
  if (v.size() > 1) return InvalidArgument("parameter '" + std::string(key) + "' given more than once");
  return v.empty() ? std::string() : v.front();
}

Result<explorer::CostQueryText> QueryText(Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"group_by", "granularity", "metric", "filter", "since", "until", "top"}));
  explorer::CostQueryText t;
  ASSIGN_OR_RETURN(t.group_by, args.StringList("group_by"));
  ASSIGN_OR_RETURN(t.filters, args.StringList("filter"));
  ASSIGN_OR_RETURN(t.granularity, StringParam(args, "granularity"));
  ASSIGN_OR_RETURN(t.metric, StringParam(args, "metric"));
  ASSIGN_OR_RETURN(t.since, StringParam(args, "since"));
  ASSIGN_OR_RETURN(t.until, StringParam(args, "until"));
  ASSIGN_OR_RETURN(t.top, StringParam(args, "top"));
  return t;
}

Json OptionalTime(const std::optional<Micros>& t) { return t ? Json(FormatIso8601(*t)) : Json(nullptr); }

JsonResult Costs(explorer::Explorer& ex, Args args) {
  ASSIGN_OR_RETURN(explorer::CostQueryText text, QueryText(args));
  ASSIGN_OR_RETURN(explorer::CostQuery q, ex.Parse(text));
  ASSIGN_OR_RETURN(explorer::CostReport report, ex.Costs(q));

  Json group_by = Json::array();
  for (const explorer::Dimension& d : q.group_by) group_by.push_back(d.Label());
  Json filters = Json::array();
  for (const explorer::DimensionFilter& f : q.filters) {
    filters.push_back({{"dimension", f.dimension.Label()}, {"values", f.values}});
  }
  Json rows = Json::array();
  for (const explorer::CostRow& r : report.rows) {
    Json group = Json::object();
    for (size_t i = 0; i < q.group_by.size(); ++i) {
      group[q.group_by[i].Label()] = r.keys[i] ? Json(*r.keys[i]) : Json(nullptr);
    }
    Json row = {{"billing_currency", r.currency}, {"group", std::move(group)}, {"cost", r.cost.ToString()},
                {"lines", r.lines}, {"other", r.other}};
    if (q.granularity != explorer::Granularity::kNone) row["period_start"] = OptionalTime(r.period);
    rows.push_back(std::move(row));
  }
  Json totals = Json::object();
  for (const auto& [currency, amount] : report.totals) totals[currency] = amount.ToString();
  return Json{{"metric", std::string(explorer::MetricName(q.metric))},
              {"metric_column", std::string(explorer::MetricColumn(q.metric))},
              {"amortized", q.metric == explorer::CostMetric::kEffective},
              {"cost_basis", std::string(explorer::MetricBasis(q.metric))},
              {"group_by", std::move(group_by)},
              {"granularity", std::string(explorer::GranularityName(q.granularity))},
              {"filters", std::move(filters)},
              {"since", OptionalTime(q.since)},
              {"until", OptionalTime(q.until)},
              {"top", q.top},
              {"source", report.from_rollup ? "rollup" : "costs"},
              {"rows", std::move(rows)},
              {"totals", std::move(totals)},
              {"lines", report.lines}};
}

}  // namespace

void RegisterCostExplorerRoutes(Router& router, std::shared_ptr<explorer::Explorer> explorer) {
  AddRoute(router, "GET", "/api/v1/costs",
           JsonHandler([explorer](const ApiRequest&, Args args) { return Costs(*explorer, args); }));
}

void RegisterExplorerRoutes(Router& router, ApiContext& ctx) {
  auto explorer = std::make_shared<explorer::Explorer>(ctx.tracking.reads(), ctx.clock);
  RegisterCostExplorerRoutes(router, explorer);
  RegisterAllocationRoutes(router, explorer);
  RegisterLeaderboardRoutes(router, ctx, explorer);
}

}  // namespace mlcost::api::v1
