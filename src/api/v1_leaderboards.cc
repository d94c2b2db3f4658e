// Leaderboards and the run <-> bill join (docs/costs.md):
//   GET /api/v1/leaderboards/costs?by=team&window=7d|30d|month|SINCE,UNTIL&metric=billed
//   GET /api/v1/leaderboards/runs?metric=accuracy&order=desc
//   GET /api/v1/runs/{run_id}/billed-cost
#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_explorer.h"
#include "api/v1_json.h"
#include "explorer/run_billing.h"

namespace mlcost::api::v1 {
namespace {

constexpr Micros kDay = 86400LL * kMicrosPerSecond;
constexpr int64_t kRunPage = 1000;

struct Window {
  Micros previous_since = 0;
  Micros since = 0;
  Micros until = 0;
};

// Start of the UTC month containing `t`, shifted by `months`.
Micros MonthStart(Micros t, int months) {
  int64_t days = t / kDay - (t % kDay < 0 ? 1 : 0);
  // civil_from_days (Howard Hinnant), enough to read year and month.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  int64_t index = year * 12 + (month - 1) + months;
  year = index / 12;
  month = index % 12 + 1;
  return DaysFromCivil(year, static_cast<unsigned>(month), 1) * kDay;
}

// 7d / 30d / Nd (the N whole UTC days ending today), month (this calendar month; previous =
// last month), or "SINCE,UNTIL" (previous = the same length before SINCE).
Result<Window> ParseWindow(const std::string& text, Micros now) {
  Window w;
  const Micros tomorrow = (now / kDay + 1) * kDay;
  if (text == "month") {
    w.since = MonthStart(now, 0);
    w.until = MonthStart(now, 1);
    w.previous_since = MonthStart(now, -1);
    return w;
  }
  if (size_t comma = text.find(','); comma != std::string::npos) {
    Result<Micros> since = ParseIso8601(text.substr(0, comma));
    Result<Micros> until = ParseIso8601(text.substr(comma + 1));
    if (!since.ok() || !until.ok() || *since >= *until) {
      return InvalidArgument("Invalid value \"" + text + "\" for parameter 'window': SINCE,UNTIL must be two ISO 8601 "
                             "times with SINCE before UNTIL");
    }
    w.since = *since;
    w.until = *until;
    w.previous_since = w.since - (w.until - w.since);
    return w;
  }
  int64_t days = 0;
  if (text.size() >= 2 && text.back() == 'd') {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, days);
    if (ec == std::errc() && end == text.data() + text.size() - 1 && days >= 1 && days <= 3660) {
      w.until = tomorrow;
      w.since = tomorrow - days * kDay;
      w.previous_since = w.since - days * kDay;
      return w;
    }
  }
  return InvalidArgument("Invalid value \"" + text +
                         "\" for parameter 'window': expected Nd (e.g. 7d, 30d), month, or SINCE,UNTIL");
}

Json ChangePercent(Decimal current, Decimal previous) {
  if (previous.IsZero()) return nullptr;
  double pct = (current - previous).ToDouble() / previous.ToDouble() * 100.0;
  return std::round(pct * 100.0) / 100.0;
}

JsonResult CostLeaderboard(ApiContext& ctx, explorer::Explorer& ex, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"by", "window", "metric"}));
  ASSIGN_OR_RETURN(std::string by, args.StringOr("by", "team"));
  ASSIGN_OR_RETURN(std::string window_text, args.StringOr("window", "30d"));
  ASSIGN_OR_RETURN(std::string metric_text, args.StringOr("metric", "billed"));
  ASSIGN_OR_RETURN(Window w, ParseWindow(window_text, ctx.clock.Now()));
  explorer::CostQueryText text;
  text.group_by = {by};
  text.metric = metric_text;
  ASSIGN_OR_RETURN(explorer::CostQuery q, ex.Parse(text));
  if (q.group_by.size() != 1) return InvalidArgument("parameter 'by' takes one dimension, e.g. team");
  ASSIGN_OR_RETURN(auto rows, ex.Leaderboard(q.group_by.front(), q.metric, w.previous_since, w.since, w.until));
  Json out = Json::array();
  int64_t rank = 0;
  std::string currency;
  for (const explorer::LeaderboardRow& r : rows) {
    if (r.currency != currency) rank = 0;
    currency = r.currency;
    out.push_back({{"rank", ++rank},
                   {"key", r.key},
                   {"billing_currency", r.currency},
                   {"current", r.current.ToString()},
                   {"previous", r.previous.ToString()},
                   {"change", (r.current - r.previous).ToString()},
                   {"change_percent", ChangePercent(r.current, r.previous)}});
  }
  return Json{{"by", q.group_by.front().Label()},
              {"metric", std::string(explorer::MetricName(q.metric))},
              {"cost_basis", std::string(explorer::MetricBasis(q.metric))},
              {"window", {{"since", FormatIso8601(w.since)}, {"until", FormatIso8601(w.until)}}},
              {"previous_window", {{"since", FormatIso8601(w.previous_since)}, {"until", FormatIso8601(w.since)}}},
              {"rows", std::move(out)}};
}

const std::string* ResourceId(const Run& run) {
  for (const char* tag : explorer::kResourceIdTags) {
    const std::string* v = FindKey(run.tags, tag);
    if (v != nullptr && !v->empty()) return v;
  }
  return nullptr;
}

struct BilledRun {
  std::string resource_id;         // "" when the run names none
  explorer::RunBill bill;
};

Result<BilledRun> BillRun(ApiContext& ctx, const Run& run, const EvaluatedRun& e) {
  BilledRun out;
  const std::string* id = ResourceId(run);
  if (id == nullptr) return out;
  out.resource_id = *id;
  std::vector<explorer::TimeWindow> windows;
  for (const RunAttempt& a : e.attempts) {
    windows.push_back({a.start_time_ms * kMicrosPerMilli, a.end_time_ms.value_or(e.as_of_ms) * kMicrosPerMilli});
  }
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(out.bill, explorer::BillForResource(*conn, *id, windows));
  return out;
}

Json MoneyMap(const std::map<std::string, Decimal>& m) {
  Json out = Json::object();
  for (const auto& [c, v] : m) out[c] = v.ToString();
  return out;
}

JsonResult BilledCost(ApiContext& ctx, const std::string& run_id) {
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  AttributionResolver resolver(ctx.tracking);
  ASSIGN_OR_RETURN(EvaluatedRun e, EvaluateRun(ctx, resolver, run));
  ASSIGN_OR_RETURN(BilledRun b, BillRun(ctx, run, e));
  Json estimate = e.cost.known ? Json{{"cost", e.cost.cost_so_far.ToString()}, {"currency", e.cost.quote.currency}}
                               : Json(nullptr);
  Json difference = Json::object();
  if (e.cost.known) {
    auto it = b.bill.billed.find(e.cost.quote.currency);
    if (it != b.bill.billed.end()) difference[it->first] = (it->second - e.cost.cost_so_far).ToString();
  }
  std::string reason;
  if (b.resource_id.empty()) {
    reason = "the run has no mlcost.resource_id (or mlcost.instance_id) tag";
  } else if (b.bill.lines == 0) {
    reason = "no cost line of resource " + b.resource_id + " overlaps the run's attempts";
  }
  return Json{{"run_id", run.info.run_id},
              {"resource_id", b.resource_id.empty() ? Json(nullptr) : Json(b.resource_id)},
              {"method", "cost lines with this resource_id whose charge period overlaps an attempt, each prorated by "
                         "the covered fraction of its charge period"},
              {"matched", b.bill.lines > 0},
              {"reason", reason},
              {"lines", b.bill.lines},
              {"billed", MoneyMap(b.bill.billed)},
              {"effective", MoneyMap(b.bill.effective)},
              {"estimate", std::move(estimate)},
              {"billed_minus_estimate", std::move(difference)},
              {"as_of", IsoTime(e.as_of_ms)}};
}

JsonResult RunLeaderboard(ApiContext& ctx, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"metric", "order", "experiment_id", "max_results"}));
  ASSIGN_OR_RETURN(std::string metric, args.RequiredString("metric"));
  ASSIGN_OR_RETURN(std::string order, args.StringOr("order", "desc"));
  if (order != "desc" && order != "asc") {
    return InvalidArgument("Invalid value \"" + order + "\" for parameter 'order': expected desc or asc");
  }
  ASSIGN_OR_RETURN(auto max_results, args.OptionalInt64("max_results"));
  const int64_t limit = max_results.value_or(100);
  if (limit < 1 || limit > kMaxMaxResults) return InvalidArgument("parameter 'max_results' must be 1..50000");

  tracking::SearchRunsRequest req;
  ASSIGN_OR_RETURN(req.experiment_ids, args.StringList("experiment_id"));
  AttributionResolver resolver(ctx.tracking);
  if (req.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(std::vector<Experiment> all, AllExperiments(ctx.tracking));
    for (const Experiment& e : all) {
      req.experiment_ids.push_back(e.experiment_id);
      resolver.AddExperiment(e);
    }
  }
  req.view = tracking::ViewType::kActiveOnly;
  req.max_results = kRunPage;

  struct Entry {
    Json json;
    double per_dollar;
  };
  std::vector<Entry> ranked;
  Json unpriced = Json::array();
  int64_t without_metric = 0;
  while (!req.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(auto page, ctx.tracking.SearchRuns(req));
    for (const Run& run : page.runs) {
      const Metric* m = nullptr;
      for (const Metric& x : run.metrics) {
        if (x.key == metric) m = &x;
      }
      if (m == nullptr || !std::isfinite(m->value)) {
        ++without_metric;
        continue;
      }
      ASSIGN_OR_RETURN(EvaluatedRun e, EvaluateRun(ctx, resolver, run));
      ASSIGN_OR_RETURN(BilledRun b, BillRun(ctx, run, e));
      Json item = {{"run_id", run.info.run_id},   {"run_name", run.info.run_name},
                   {"experiment_id", run.info.experiment_id}, {"user", e.attribution.user},
                   {"team", e.attribution.team},  {"project", e.attribution.project},
                   {"metric_value", DoubleToJson(m->value)}};
      std::optional<std::pair<std::string, Decimal>> cost;
      std::string source;
      if (b.bill.billed.size() == 1) {
        cost = *b.bill.billed.begin();
        source = "billed";
      } else if (e.cost.known) {
        cost = std::make_pair(e.cost.quote.currency, e.cost.cost_so_far);
        source = "estimate";
      }
      if (!cost || cost->second <= Decimal()) {
        item["reason"] = !cost ? (e.cost.reason.empty() ? "no billed lines and no price" : e.cost.reason)
                               : "cost is zero";
        unpriced.push_back(std::move(item));
        continue;
      }
      const double per_dollar = m->value / cost->second.ToDouble();
      item["cost"] = cost->second.ToString();
      item["currency"] = cost->first;
      item["cost_source"] = source;
      item["metric_per_cost"] = per_dollar;
      ranked.push_back({std::move(item), per_dollar});
    }
    if (page.next_page_token.empty()) break;
    req.page_token = page.next_page_token;
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Entry& a, const Entry& b) {
    return order == "desc" ? a.per_dollar > b.per_dollar : a.per_dollar < b.per_dollar;
  });
  Json runs = Json::array();
  for (size_t i = 0; i < ranked.size() && static_cast<int64_t>(i) < limit; ++i) {
    ranked[i].json["rank"] = static_cast<int64_t>(i + 1);
    runs.push_back(std::move(ranked[i].json));
  }
  return Json{{"metric", metric},
              {"order", order},
              {"cost_note", "cost = the run's billed cost when its resource's bill lines are joined (cost_source "
                            "billed), else the live estimate (cost_source estimate)"},
              {"runs", std::move(runs)},
              {"ranked_runs", static_cast<int64_t>(ranked.size())},
              {"unpriced", std::move(unpriced)},
              {"runs_without_metric", without_metric}};
}

}  // namespace

void RegisterLeaderboardRoutes(Router& router, ApiContext& ctx, std::shared_ptr<explorer::Explorer> ex) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/leaderboards/costs",
           JsonHandler([c, ex](const ApiRequest&, Args args) { return CostLeaderboard(*c, *ex, args); }));
  AddRoute(router, "GET", "/api/v1/leaderboards/runs",
           JsonHandler([c](const ApiRequest&, Args args) { return RunLeaderboard(*c, args); }));
  AddRoute(router, "GET", "/api/v1/runs/{run_id}/billed-cost",
           JsonHandler([c](const ApiRequest& request, Args) { return BilledCost(*c, request.captures[0]); }));
}

}  // namespace mlcost::api::v1
