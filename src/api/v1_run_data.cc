// A run's data under /api/v1/runs/{run_id}: log metrics, read a metric's history, log params,
// set and delete tags. Writes go through TrackingService::LogBatch, so MLflow's limits and rules
// (write-once params, 1000 metrics per batch, key syntax) apply exactly as on the MLflow routes.
#include <algorithm>
#include <optional>

#include "api/json_handler.h"
#include "api/v1_run_stop.h"
#include "earlystop/pruner_service.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "common/time_util.h"

namespace mlcost::api::v1 {
namespace {

// Metric histories are curves: a larger default page than other lists.
constexpr int64_t kDefaultMetricPage = 25000;

// One {key, value, step?, timestamp?} entry; timestamp (ms or ISO 8601) defaults to `now_ms`.
Result<Metric> ParseMetricEntry(const Json& m, size_t i, int64_t now_ms) {
  const std::string where = "metrics[" + std::to_string(i) + "]";
  if (!m.is_object()) return InvalidArgument("field '" + where + "' must be an object, got " + Dump(m));
  RequestArgs entry(m);
  RETURN_IF_ERROR(CheckKnownFields(entry, {"key", "value", "step", "timestamp"}).WithContext(where));
  Metric out;
  const Json& key = entry.Raw("key");
  if (!key.is_string() || key.get_ref<const std::string&>().empty()) {
    return InvalidArgument("field '" + where + ".key' must be a non-empty string, got " + Dump(key));
  }
  out.key = key.get<std::string>();
  const Json& value = entry.Raw("value");
  if (value.is_null()) return MissingParameter(where + ".value");
  if (value.is_boolean()) return InvalidParameterType(where + ".value", value);
  ASSIGN_OR_RETURN(out.value, JsonToDouble(where + ".value", value));
  const Json& step = entry.Raw("step");
  if (!step.is_null()) {
    if (!step.is_number_integer()) return InvalidParameterType(where + ".step", step);
    out.step = step.get<int64_t>();
  }
  ASSIGN_OR_RETURN(auto timestamp, OptionalTimeMs(entry, "timestamp"));
  out.timestamp_ms = timestamp.value_or(now_ms);
  return out;
}

JsonResult LogMetrics(ApiContext& ctx, const std::string& run_id, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"metrics"}));
  const Json& metrics = args.Raw("metrics");
  if (metrics.is_null()) return MissingParameter("metrics");
  if (!metrics.is_array()) return InvalidArgument("field 'metrics' must be an array, got " + Dump(metrics));
  tracking::LogBatchRequest req;
  req.run_id = run_id;
  const int64_t now_ms = ctx.clock.Now() / kMicrosPerMilli;
  for (size_t i = 0; i < metrics.size(); ++i) {
    ASSIGN_OR_RETURN(Metric m, ParseMetricEntry(metrics[i], i, now_ms));
    req.metrics.push_back(std::move(m));
  }
  RETURN_IF_ERROR(ctx.tracking.LogBatch(req));
  // With a pruner on the run's experiment judging one of these metrics, the answer carries the
  // decision at the step just logged (so a run judged here is judged at every step, as Optuna).
  // Without one (the common case) that costs one small query, not a read of the run and its experiment.
  earlystop::PrunerService pruners(ctx.tracking, ctx.pruner_index.get());
  ASSIGN_OR_RETURN(std::optional<earlystop::PrunerService::RunPruner> judge, pruners.PrunerOfRun(run_id));
  const auto judged = [&](const Metric& m) { return judge && m.key == judge->pruner.metric; };
  if (std::none_of(req.metrics.begin(), req.metrics.end(), judged)) return Json::object();
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  ASSIGN_OR_RETURN(earlystop::StopDecision decision, pruners.Decide(run, *judge, &req.metrics));
  if (decision.pruner.empty()) return Json::object();  // no pruner judges these metrics
  return Json{{"should_stop", StopDecisionJson(decision)}};
}

JsonResult MetricHistory(ApiContext& ctx, const std::string& run_id, const std::string& key, Args args) {
  ASSIGN_OR_RETURN(Page page, ParsePage(args, kDefaultMetricPage));
  tracking::MetricHistoryRequest req;
  req.run_id = run_id;
  req.metric_key = key;
  req.max_results = page.max_results;
  req.page_token = page.page_token;
  ASSIGN_OR_RETURN(auto history, ctx.tracking.GetMetricHistory(req));
  Json points = Json::array();
  for (const Metric& m : history.metrics) points.push_back(MetricPointJson(m));
  return Json{{"key", key}, {"metrics", std::move(points)}, {"next_page_token", history.next_page_token}};
}

JsonResult LogParams(ApiContext& ctx, const std::string& run_id, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"params"}));
  if (!args.Has("params")) return MissingParameter("params");
  tracking::LogBatchRequest req;
  req.run_id = run_id;
  ASSIGN_OR_RETURN(req.params, StringMap(args, "params"));
  RETURN_IF_ERROR(ctx.tracking.LogBatch(req));
  return Json::object();
}

JsonResult SetTags(ApiContext& ctx, const std::string& run_id, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"tags"}));
  if (!args.Has("tags")) return MissingParameter("tags");
  tracking::LogBatchRequest req;
  req.run_id = run_id;
  ASSIGN_OR_RETURN(req.tags, StringMap(args, "tags"));
  RETURN_IF_ERROR(ctx.tracking.LogBatch(req));
  return Json::object();
}

}  // namespace

void RegisterRunDataRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "POST", "/api/v1/runs/{run_id}/metrics",
           JsonHandler([c](const ApiRequest& r, Args args) { return LogMetrics(*c, r.captures[0], args); }));
  AddRoute(router, "GET", "/api/v1/runs/{run_id}/metrics/{key*}",
           JsonHandler([c](const ApiRequest& r, Args args) {
             return MetricHistory(*c, r.captures[0], r.captures[1], args);
           }));
  AddRoute(router, "POST", "/api/v1/runs/{run_id}/params",
           JsonHandler([c](const ApiRequest& r, Args args) { return LogParams(*c, r.captures[0], args); }));
  AddRoute(router, "PUT", "/api/v1/runs/{run_id}/tags",
           JsonHandler([c](const ApiRequest& r, Args args) { return SetTags(*c, r.captures[0], args); }));
  AddRoute(router, "DELETE", "/api/v1/runs/{run_id}/tags/{key*}",
           JsonHandler([c](const ApiRequest& r, Args) -> JsonResult {
             RETURN_IF_ERROR(c->tracking.DeleteTag(r.captures[0], r.captures[1]));
             return Json::object();
           }));
}

}  // namespace mlcost::api::v1
