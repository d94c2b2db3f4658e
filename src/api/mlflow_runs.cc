// MLflow runs: create, get, update, delete, restore, search; log-metric, log-parameter, set-tag,
// delete-tag, log-batch; metrics/get-history.
#include <limits>

#include "api/http_error.h"
#include "api/json_handler.h"
#include "api/log_batch_parser.h"
#include "api/mlflow_json.h"
#include "api/mlflow_routes.h"
#include "api/v1_run_creation_quotas.h"
#include "tracking/validation.h"

namespace mlcost::api {
namespace {

using Args = const RequestArgs&;
using Json = Result<nlohmann::json>;

// MLflow accepts the deprecated run_uuid wherever run_id goes.
Result<std::string> RunIdArg(Args args) {
  ASSIGN_OR_RETURN(auto id, args.OptionalString("run_id"));
  if (!id || id->empty()) {
    ASSIGN_OR_RETURN(id, args.OptionalString("run_uuid"));
  }
  if (!id || id->empty()) return MissingParameter("run_id");
  return *id;
}

Result<Metric> ParseMetric(const nlohmann::json& m, const std::string& where) {
  if (!m.is_object()) return InvalidParameterType(where, m);
  Metric out;
  auto key = m.find("key");
  if (key == m.end() || key->is_null()) return MissingParameter(where + "key");
  if (!key->is_string()) return InvalidParameterType(where + "key", *key);
  out.key = key->get<std::string>();
  auto value = m.find("value");
  if (value == m.end() || value->is_null()) return MissingParameter(where + "value");
  if (value->is_boolean()) return InvalidParameterType(where + "value", *value);
  ASSIGN_OR_RETURN(out.value, JsonToDouble(where + "value", *value));
  auto ts = m.find("timestamp");
  if (ts == m.end() || ts->is_null()) return MissingParameter(where + "timestamp");
  ASSIGN_OR_RETURN(out.timestamp_ms, JsonToInt64(where + "timestamp", *ts));
  auto step = m.find("step");
  if (step != m.end() && !step->is_null()) {
    ASSIGN_OR_RETURN(out.step, JsonToInt64(where + "step", *step));
  }
  return out;
}

Result<std::vector<KeyValue>> KeyValues(Args args, const char* key) {
  ASSIGN_OR_RETURN(auto pairs, args.KeyValueList(key));
  std::vector<KeyValue> out;
  out.reserve(pairs.size());
  for (auto& [k, v] : pairs) out.push_back({std::move(k), std::move(v)});
  return out;
}


Json Empty() { return nlohmann::json::object(); }

// The required string `value` of log-parameter / set-tag. RequestArgs::OptionalString also takes a
// one-element list (for repeated query keys); MLflow's _assert_string refuses anything but a
// string here, and storing ["x"] as "x" would silently change the data.
Result<std::string> RequiredValue(Args args) {
  const nlohmann::json& v = args.Raw("value");
  if (v.is_null()) return MissingParameter("value");
  if (!v.is_string()) return InvalidParameterType("value", v);
  return v.get<std::string>();
}

}  // namespace

void RegisterMlflowRunRoutes(Router& router, ApiContext& ctx) {
  tracking::TrackingService& t = ctx.tracking;

  ApiContext* c = &ctx;
  AddMlflowRoute(router, "POST", "runs/create", JsonHandler([&t, c](const ApiRequest&, Args args) -> Json {
    tracking::CreateRunRequest req;
    ASSIGN_OR_RETURN(req.experiment_id, args.StringOr("experiment_id", "0"));
    if (req.experiment_id.empty()) req.experiment_id = "0";
    ASSIGN_OR_RETURN(req.user_id, args.StringOr("user_id", ""));
    ASSIGN_OR_RETURN(req.run_name, args.StringOr("run_name", ""));
    ASSIGN_OR_RETURN(req.start_time_ms, args.OptionalInt64("start_time"));
    ASSIGN_OR_RETURN(req.tags, KeyValues(args, "tags"));
    v1::RunCreationQuotas quotas(*c, req);
    RETURN_IF_ERROR(quotas.Gate());  // a quota with action block (docs/quotas.md)
    ASSIGN_OR_RETURN(Run run, t.CreateRun(req));
    quotas.AfterCreated();
    return nlohmann::json{{"run", MlflowRun(run)}};
  }));

  AddMlflowRoute(router, "GET", "runs/get", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    ASSIGN_OR_RETURN(std::string id, RunIdArg(args));
    ASSIGN_OR_RETURN(Run run, t.GetRun(id));
    return nlohmann::json{{"run", MlflowRun(run)}};
  }));

  AddMlflowRoute(router, "POST", "runs/update", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::UpdateRunRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    ASSIGN_OR_RETURN(req.status, args.OptionalString("status"));
    if (args.Raw("status").is_number_integer()) {
      static const char* kNames[] = {"", "RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};
      int64_t n = args.Raw("status").get<int64_t>();
      if (n < 1 || n > 5) return InvalidParameterType("status", args.Raw("status"));
      req.status = kNames[n];
    }
    ASSIGN_OR_RETURN(req.end_time_ms, args.OptionalInt64("end_time"));
    ASSIGN_OR_RETURN(req.run_name, args.OptionalString("run_name"));
    ASSIGN_OR_RETURN(RunInfo info, t.UpdateRun(req));
    return nlohmann::json{{"run_info", MlflowRunInfo(info)}};
  }));

  AddMlflowRoute(router, "POST", "runs/delete", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    ASSIGN_OR_RETURN(std::string id, RunIdArg(args));
    RETURN_IF_ERROR(t.DeleteRun(id));
    return Empty();
  }));

  AddMlflowRoute(router, "POST", "runs/restore", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    ASSIGN_OR_RETURN(std::string id, RunIdArg(args));
    RETURN_IF_ERROR(t.RestoreRun(id));
    return Empty();
  }));

  auto search = JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::SearchRunsRequest req;
    ASSIGN_OR_RETURN(req.experiment_ids, args.StringList("experiment_ids"));
    ASSIGN_OR_RETURN(req.filter, args.StringOr("filter", ""));
    ASSIGN_OR_RETURN(req.view, ParseMlflowViewType(args, "run_view_type"));
    ASSIGN_OR_RETURN(auto max_results, args.OptionalInt64("max_results"));
    req.max_results = max_results.value_or(1000);
    ASSIGN_OR_RETURN(req.order_by, args.StringList("order_by"));
    ASSIGN_OR_RETURN(req.page_token, args.StringOr("page_token", ""));
    ASSIGN_OR_RETURN(auto found, t.SearchRuns(req));
    nlohmann::json out = nlohmann::json::object();
    if (!found.runs.empty()) {
      nlohmann::json runs = nlohmann::json::array();
      for (const Run& r : found.runs) runs.push_back(MlflowRun(r));
      out["runs"] = std::move(runs);
    }
    if (!found.next_page_token.empty()) out["next_page_token"] = found.next_page_token;
    return out;
  });
  AddMlflowRoute(router, "POST", "runs/search", search);
  AddMlflowRoute(router, "GET", "runs/search", search);

  AddMlflowRoute(router, "POST", "runs/log-metric", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::LogBatchRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    ASSIGN_OR_RETURN(Metric m, ParseMetric(args.json(), ""));
    req.metrics.push_back(std::move(m));
    RETURN_IF_ERROR(t.LogBatch(req));
    return Empty();
  }));

  AddMlflowRoute(router, "POST", "runs/log-parameter", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::LogBatchRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    ASSIGN_OR_RETURN(std::string key, args.RequiredString("key"));
    ASSIGN_OR_RETURN(std::string value, RequiredValue(args));
    req.params.push_back({key, std::move(value)});
    RETURN_IF_ERROR(t.LogBatch(req));
    return Empty();
  }));

  AddMlflowRoute(router, "POST", "runs/set-tag", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::LogBatchRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    ASSIGN_OR_RETURN(std::string key, args.RequiredString("key"));
    ASSIGN_OR_RETURN(std::string value, RequiredValue(args));
    req.tags.push_back({key, std::move(value)});
    RETURN_IF_ERROR(t.LogBatch(req));
    return Empty();
  }));

  AddMlflowRoute(router, "POST", "runs/delete-tag", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    ASSIGN_OR_RETURN(std::string id, args.RequiredString("run_id"));
    ASSIGN_OR_RETURN(std::string key, args.RequiredString("key"));
    RETURN_IF_ERROR(t.DeleteTag(id, key));
    return Empty();
  }));

  Handler general_log_batch = JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::LogBatchRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    const nlohmann::json& metrics = args.Raw("metrics");
    if (!metrics.is_null()) {
      if (!metrics.is_array()) return InvalidParameterType("metrics", metrics);
      req.metrics.reserve(metrics.size());
      for (size_t i = 0; i < metrics.size(); ++i) {
        ASSIGN_OR_RETURN(Metric m, ParseMetric(metrics[i], "metrics[" + std::to_string(i) + "]."));
        req.metrics.push_back(std::move(m));
      }
    }
    ASSIGN_OR_RETURN(req.params, KeyValues(args, "params"));
    ASSIGN_OR_RETURN(req.tags, KeyValues(args, "tags"));
    RETURN_IF_ERROR(t.LogBatch(req));
    return Empty();
  });
  // Most bodies take the fast parser; any other shape (and every malformed body) the general one.
  AddMlflowRoute(router, "POST", "runs/log-batch", [&t, general_log_batch](const ApiRequest& request) {
    if (Status size = tracking::ValidateBatchBodySize(request.body.size()); !size.ok()) return ErrorResponse(size);
    if (auto batch = FastParseLogBatch(request.body)) {
      Status s = t.LogBatch(*batch);
      return s.ok() ? ApiResponse{} : ErrorResponse(s);
    }
    return general_log_batch(request);
  });

  AddMlflowRoute(router, "GET", "metrics/get-history", JsonHandler([&t](const ApiRequest&, Args args) -> Json {
    tracking::MetricHistoryRequest req;
    ASSIGN_OR_RETURN(req.run_id, RunIdArg(args));
    ASSIGN_OR_RETURN(req.metric_key, args.RequiredString("metric_key"));
    ASSIGN_OR_RETURN(auto max_results, args.OptionalInt64("max_results"));
    req.max_results = max_results.value_or(0);
    ASSIGN_OR_RETURN(req.page_token, args.StringOr("page_token", ""));
    ASSIGN_OR_RETURN(auto history, t.GetMetricHistory(req));
    nlohmann::json metrics = nlohmann::json::array();
    for (const Metric& m : history.metrics) metrics.push_back(MlflowMetric(m));
    nlohmann::json out = {{"metrics", std::move(metrics)}};
    if (!history.next_page_token.empty()) out["next_page_token"] = history.next_page_token;
    return out;
  }));
}

}  // namespace mlcost::api
