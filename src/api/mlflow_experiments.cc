// MLflow experiments: create, get, get-by-name, search (+ legacy list), update, delete, restore,
// set-experiment-tag.
#include <cctype>
#include <optional>

#include "api/http_error.h"
#include "api/json_handler.h"
#include "api/mlflow_json.h"
#include "api/mlflow_routes.h"
#include "tracking/validation.h"

namespace mlcost::api {

namespace {

// MLflow's server/validation.py _validate_content_type, applied to every JSON POST: the
// Content-Type must be application/json (parameters such as "; charset=utf-8" allowed). Besides
// matching MLflow, this keeps browsers' cross-site "simple" requests (text/plain POSTs that need
// no CORS preflight) from writing to a server on localhost.
std::optional<ApiResponse> RejectNonJsonContentType(const ApiRequest& request) {
  if (request.method != "POST" && request.method != "PUT") return std::nullopt;
  if (request.content_type.empty()) {
    return ErrorResponse(InvalidArgument("Bad Request. Content-Type header is missing."));
  }
  std::string type = request.content_type.substr(0, request.content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/json") return std::nullopt;
  return ErrorResponse(InvalidArgument("Bad Request. Content-Type must be one of ['application/json']."));
}

}  // namespace

void AddMlflowRoute(Router& router, const std::string& method, const std::string& path, Handler handler) {
  Handler checked = [handler = std::move(handler)](const ApiRequest& request) {
    if (auto rejected = RejectNonJsonContentType(request)) return *rejected;
    return handler(request);
  };
  router.Add(method, "/ajax-api/2.0/mlflow/" + path, checked);
  router.Add(method, "/api/2.0/mlflow/" + path, std::move(checked));
}

Result<tracking::ViewType> ParseMlflowViewType(const RequestArgs& args, const char* key) {
  ASSIGN_OR_RETURN(auto v, args.OptionalString(key));
  if (!v || v->empty() || *v == "ACTIVE_ONLY" || *v == "1") return tracking::ViewType::kActiveOnly;
  if (*v == "DELETED_ONLY" || *v == "2") return tracking::ViewType::kDeletedOnly;
  if (*v == "ALL" || *v == "3") return tracking::ViewType::kAll;
  return InvalidParameterType(key, args.Raw(key));
}

namespace {

Result<nlohmann::json> Search(tracking::TrackingService& t, const RequestArgs& args, const char* view_key) {
  tracking::SearchExperimentsRequest req;
  ASSIGN_OR_RETURN(auto max_results, args.OptionalInt64("max_results"));
  req.max_results = max_results.value_or(1000);
  ASSIGN_OR_RETURN(req.filter, args.StringOr("filter", ""));
  ASSIGN_OR_RETURN(req.order_by, args.StringList("order_by"));
  ASSIGN_OR_RETURN(req.page_token, args.StringOr("page_token", ""));
  ASSIGN_OR_RETURN(req.view, ParseMlflowViewType(args, view_key));
  ASSIGN_OR_RETURN(auto found, t.SearchExperiments(req));
  nlohmann::json experiments = nlohmann::json::array();
  for (const Experiment& e : found.experiments) experiments.push_back(MlflowExperiment(e));
  nlohmann::json out = {{"experiments", std::move(experiments)}};
  if (!found.next_page_token.empty()) out["next_page_token"] = found.next_page_token;
  return out;
}

}  // namespace

void RegisterMlflowExperimentRoutes(Router& router, ApiContext& ctx) {
  tracking::TrackingService& t = ctx.tracking;

  AddMlflowRoute(router, "POST", "experiments/create",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
                   ASSIGN_OR_RETURN(std::string location, args.StringOr("artifact_location", ""));
                   ASSIGN_OR_RETURN(auto pairs, args.KeyValueList("tags"));
                   std::vector<KeyValue> tags;
                   for (auto& [k, v] : pairs) tags.push_back({k, v});
                   ASSIGN_OR_RETURN(std::string id, t.CreateExperiment(name, location, tags));
                   return nlohmann::json{{"experiment_id", id}};
                 }));

  AddMlflowRoute(router, "GET", "experiments/get",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string id, args.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(id));
                   return nlohmann::json{{"experiment", MlflowExperiment(e)}};
                 }));

  AddMlflowRoute(router, "GET", "experiments/get-by-name",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string name, args.RequiredString("experiment_name"));
                   ASSIGN_OR_RETURN(Experiment e, t.GetExperimentByName(name));
                   return nlohmann::json{{"experiment", MlflowExperiment(e)}};
                 }));

  auto search = JsonHandler([&t](const ApiRequest&, const RequestArgs& args) { return Search(t, args, "view_type"); });
  AddMlflowRoute(router, "POST", "experiments/search", search);
  AddMlflowRoute(router, "GET", "experiments/search", search);
  // MLflow 1.x's experiments/list, still called by the npm `mlflow` client.
  AddMlflowRoute(router, "GET", "experiments/list",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) { return Search(t, args, "view_type"); }));

  AddMlflowRoute(router, "POST", "experiments/update",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string id, args.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(std::string name, args.RequiredString("new_name"));
                   RETURN_IF_ERROR(t.RenameExperiment(id, name));
                   return nlohmann::json::object();
                 }));

  AddMlflowRoute(router, "POST", "experiments/delete",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string id, args.RequiredString("experiment_id"));
                   RETURN_IF_ERROR(t.DeleteExperiment(id));
                   return nlohmann::json::object();
                 }));

  AddMlflowRoute(router, "POST", "experiments/restore",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string id, args.RequiredString("experiment_id"));
                   RETURN_IF_ERROR(t.RestoreExperiment(id));
                   return nlohmann::json::object();
                 }));

  AddMlflowRoute(router, "POST", "experiments/set-experiment-tag",
                 JsonHandler([&t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(std::string id, args.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(std::string key, args.RequiredString("key"));
                   ASSIGN_OR_RETURN(auto value, args.OptionalString("value"));
                   if (!value) return MissingParameter("value");
                   RETURN_IF_ERROR(t.SetExperimentTag(id, key, *value));
                   return nlohmann::json::object();
                 }));
}

}  // namespace mlcost::api
