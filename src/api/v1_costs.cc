// GET /api/v1/costs/runs: the cost of every active run so far, grouped by user, team, project
// or experiment, summed exactly (Decimal) per currency. Runs whose price is unknown are counted
// in their group's "runs" and in "unpriced_runs", never dropped.
#include <map>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "common/decimal.h"
#include "common/time_util.h"

namespace mlcost::api::v1 {
namespace {

constexpr int64_t kRunPage = 1000;

struct Group {
  std::string name;  // the experiment's name when grouping by experiment
  int64_t runs = 0;
  int64_t priced_runs = 0;
  int64_t billable_seconds = 0;         // of the priced runs
  std::map<std::string, Decimal> cost;  // currency -> total
};

struct CostQuery {
  std::string group_by = "team";
  std::vector<std::string> experiment_ids;  // empty = all
  std::optional<int64_t> since_ms;          // runs started at or after
  std::optional<int64_t> until_ms;          // runs started before
};

Result<CostQuery> ParseQuery(Args args) {
  CostQuery q;
  ASSIGN_OR_RETURN(q.group_by, args.StringOr("group_by", "team"));
  if (q.group_by != "user" && q.group_by != "team" && q.group_by != "project" && q.group_by != "experiment") {
    return InvalidArgument("Invalid value \"" + q.group_by +
                           "\" for parameter 'group_by': expected user, team, project or experiment");
  }
  ASSIGN_OR_RETURN(q.experiment_ids, args.StringList("experiment_id"));
  ASSIGN_OR_RETURN(q.since_ms, OptionalTimeMs(args, "since"));
  ASSIGN_OR_RETURN(q.until_ms, OptionalTimeMs(args, "until"));
  if (q.since_ms && q.until_ms && *q.since_ms > *q.until_ms) {
    return InvalidArgument("parameter 'since' must not be after 'until'");
  }
  return q;
}

bool InWindow(const CostQuery& q, const RunInfo& info) {
  if (!q.since_ms && !q.until_ms) return true;
  if (!info.start_time_ms) return false;
  if (q.since_ms && *info.start_time_ms < *q.since_ms) return false;
  if (q.until_ms && *info.start_time_ms >= *q.until_ms) return false;
  return true;
}

Json MoneyObject(const std::map<std::string, Decimal>& totals) {
  Json out = Json::object();
  for (const auto& [currency, amount] : totals) out[currency] = amount.ToString();
  return out;
}

JsonResult CostsByGroup(ApiContext& ctx, Args args) {
  ASSIGN_OR_RETURN(CostQuery q, ParseQuery(args));
  AttributionResolver resolver(ctx.tracking);
  std::map<std::string, std::string> experiment_names;
  std::vector<Experiment> experiments;
  if (q.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(experiments, AllExperiments(ctx.tracking));
  } else {
    for (const std::string& id : q.experiment_ids) {
      ASSIGN_OR_RETURN(Experiment e, ctx.tracking.GetExperiment(id));
      experiments.push_back(std::move(e));
    }
  }
  tracking::SearchRunsRequest req;
  for (const Experiment& e : experiments) {
    resolver.AddExperiment(e);
    experiment_names[e.experiment_id] = e.name;
    req.experiment_ids.push_back(e.experiment_id);
  }
  req.view = tracking::ViewType::kActiveOnly;
  req.max_results = kRunPage;

  const int64_t now_ms = ctx.clock.Now() / kMicrosPerMilli;
  std::map<std::string, Group> groups;
  std::map<std::string, Decimal> total;
  int64_t unpriced = 0;
  int64_t counted = 0;
  while (!req.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(auto page, ctx.tracking.SearchRuns(req));
    for (const Run& run : page.runs) {
      if (!InWindow(q, run.info)) continue;
      ASSIGN_OR_RETURN(EvaluatedRun e, EvaluateRun(ctx, resolver, run));
      std::string key = q.group_by == "user"      ? e.attribution.user
                        : q.group_by == "team"    ? e.attribution.team
                        : q.group_by == "project" ? e.attribution.project
                                                  : run.info.experiment_id;
      Group& g = groups[key];
      if (q.group_by == "experiment") g.name = experiment_names[key];
      ++g.runs;
      ++counted;
      if (!e.cost.known) {
        ++unpriced;
        continue;
      }
      ++g.priced_runs;
      g.billable_seconds += e.cost.billable_seconds;
      g.cost[e.cost.quote.currency] += e.cost.cost_so_far;
      total[e.cost.quote.currency] += e.cost.cost_so_far;
    }
    if (page.next_page_token.empty()) break;
    req.page_token = page.next_page_token;
  }

  Json out_groups = Json::array();
  for (const auto& [key, g] : groups) {
    Json item = {{"key", key},
                 {"runs", g.runs},
                 {"priced_runs", g.priced_runs},
                 {"billable_seconds", g.billable_seconds},
                 {"cost", MoneyObject(g.cost)}};
    if (q.group_by == "experiment") item["name"] = g.name;
    out_groups.push_back(std::move(item));
  }
  return Json{{"group_by", q.group_by}, {"as_of", IsoTime(now_ms)},  {"groups", std::move(out_groups)},
              {"runs", counted},        {"unpriced_runs", unpriced}, {"total", MoneyObject(total)}};
}

}  // namespace

void RegisterCostRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/costs/runs",
           JsonHandler([c](const ApiRequest&, Args args) { return CostsByGroup(*c, args); }));
}

}  // namespace mlcost::api::v1
