#include "cli/api_queries.h"

#include <algorithm>
#include <cctype>

#include "common/time_util.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr char kNoV1Reason[] = "this server has no /api/v1 routes; costs need a newer mlcost server";

std::string MlflowViewName(const std::string& view) {
  if (view == "deleted") return "DELETED_ONLY";
  if (view == "all") return "ALL";
  return "ACTIVE_ONLY";
}

json IsoFromMillis(const json& ms) {
  if (!ms.is_number_integer()) return nullptr;
  return FormatIso8601(ms.get<int64_t>() * kMicrosPerMilli);
}

// MLflow's [{"key","value"}] list as {key: value}; a later key wins, as in MLflow.
json KeyValueMap(const json& list) {
  json out = json::object();
  if (!list.is_array()) return out;
  for (const json& kv : list) {
    if (kv.is_object() && kv.contains("key")) out[JsonString(kv, "key")] = JsonString(kv, "value");
  }
  return out;
}

json TagOrNull(const json& tags, const char* key) { return tags.contains(key) ? tags[key] : json(nullptr); }

Listing MakeListing(json raw, const char* key, json (*convert)(const json&)) {
  Listing listing;
  if (raw.contains(key) && raw[key].is_array()) {
    for (const json& item : raw[key]) listing.items.push_back(convert ? convert(item) : item);
  }
  listing.next_page_token = JsonString(raw, "next_page_token");
  listing.raw = std::move(raw);
  return listing;
}

}  // namespace

json Field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? json(nullptr) : *it;
}

std::string JsonString(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

json ExperimentFromMlflow(const json& e) {
  return {{"id", JsonString(e, "experiment_id")},
          {"name", JsonString(e, "name")},
          {"artifact_location", JsonString(e, "artifact_location")},
          {"lifecycle_stage", JsonString(e, "lifecycle_stage")},
          {"creation_time", IsoFromMillis(Field(e, "creation_time"))},
          {"last_update_time", IsoFromMillis(Field(e, "last_update_time"))},
          {"tags", KeyValueMap(Field(e, "tags"))}};
}

json RunFromMlflow(const json& run) {
  json info = Field(run, "info");
  json data = Field(run, "data");
  json tags = KeyValueMap(Field(data, "tags"));
  json metrics = json::object();
  for (const json& m : Field(data, "metrics")) {
    metrics[JsonString(m, "key")] = {
        {"value", Field(m, "value")}, {"step", Field(m, "step")}, {"timestamp", Field(m, "timestamp")}};
  }
  return {{"id", JsonString(info, "run_id")},
          {"name", JsonString(info, "run_name")},
          {"experiment_id", JsonString(info, "experiment_id")},
          {"user", JsonString(info, "user_id")},
          {"status", JsonString(info, "status")},
          {"start_time", IsoFromMillis(Field(info, "start_time"))},
          {"end_time", IsoFromMillis(Field(info, "end_time"))},
          {"artifact_uri", JsonString(info, "artifact_uri")},
          {"lifecycle_stage", JsonString(info, "lifecycle_stage")},
          {"params", KeyValueMap(Field(data, "params"))},
          {"tags", tags},
          {"metrics", metrics},
          {"resources",
           {{"instance_type", TagOrNull(tags, "mlcost.instance_type")},
            {"provider", TagOrNull(tags, "mlcost.provider")},
            {"region", TagOrNull(tags, "mlcost.region")},
            {"pricing", TagOrNull(tags, "mlcost.pricing")},
            {"gpu_count", TagOrNull(tags, "mlcost.gpu_count")},
            {"accelerator", TagOrNull(tags, "mlcost.accelerator")}}},
          {"attribution",
           {{"user", JsonString(info, "user_id")},
            {"team", TagOrNull(tags, "mlcost.team")},
            {"project", TagOrNull(tags, "mlcost.project")}}},
          {"attempts", json::array()},
          {"cost", nullptr},
          {"cost_reason", kNoV1Reason}};
}

Result<Listing> ListExperiments(ApiClient& client, const ExperimentQuery& query) {
  QueryParams params = {{"view", query.view}, {"max_results", std::to_string(query.max_results)}};
  if (!query.filter.empty()) params.emplace_back("filter", query.filter);
  if (!query.page_token.empty()) params.emplace_back("page_token", query.page_token);
  Result<json> v1 = client.Get("/api/v1/experiments", params);
  if (v1.ok()) return MakeListing(std::move(*v1), "experiments", nullptr);
  if (!IsMissingEndpoint(v1.status())) return v1.status();

  json body = {{"view_type", MlflowViewName(query.view)}, {"max_results", query.max_results}};
  if (!query.filter.empty()) body["filter"] = query.filter;
  if (!query.page_token.empty()) body["page_token"] = query.page_token;
  ASSIGN_OR_RETURN(json raw, client.Post("/api/2.0/mlflow/experiments/search", body));
  return MakeListing(std::move(raw), "experiments", &ExperimentFromMlflow);
}

Result<Listing> ListRuns(ApiClient& client, const RunQuery& query) {
  QueryParams params;
  for (const std::string& id : query.experiment_ids) params.emplace_back("experiment_id", id);
  if (!query.filter.empty()) params.emplace_back("filter", query.filter);
  for (const std::string& order : query.order_by) params.emplace_back("order_by", order);
  params.emplace_back("view", query.view);
  params.emplace_back("max_results", std::to_string(query.max_results));
  if (!query.page_token.empty()) params.emplace_back("page_token", query.page_token);
  Result<json> v1 = client.Get("/api/v1/runs", params);
  if (v1.ok()) return MakeListing(std::move(*v1), "runs", nullptr);
  if (!IsMissingEndpoint(v1.status())) return v1.status();

  json body = {{"experiment_ids", query.experiment_ids},
               {"run_view_type", MlflowViewName(query.view)},
               {"max_results", query.max_results}};
  if (!query.filter.empty()) body["filter"] = query.filter;
  if (!query.order_by.empty()) body["order_by"] = query.order_by;
  if (!query.page_token.empty()) body["page_token"] = query.page_token;
  ASSIGN_OR_RETURN(json raw, client.Post("/api/2.0/mlflow/runs/search", body));
  return MakeListing(std::move(raw), "runs", &RunFromMlflow);
}

Result<Fetched> GetRun(ApiClient& client, const std::string& run_id) {
  Result<json> v1 = client.Get("/api/v1/runs/" + run_id);
  if (v1.ok()) return Fetched{*v1, *v1};
  if (!IsMissingEndpoint(v1.status())) return v1.status();
  ASSIGN_OR_RETURN(json raw, client.Get("/api/2.0/mlflow/runs/get", {{"run_id", run_id}}));
  json item = RunFromMlflow(Field(raw, "run"));
  return Fetched{std::move(raw), std::move(item)};
}

Result<std::string> ResolveExperimentId(ApiClient& client, const std::string& id_or_name) {
  bool numeric = !id_or_name.empty() && std::all_of(id_or_name.begin(), id_or_name.end(),
                                                    [](unsigned char c) { return std::isdigit(c); });
  if (numeric) return id_or_name;
  ASSIGN_OR_RETURN(json found,
                   client.Get("/api/2.0/mlflow/experiments/get-by-name", {{"experiment_name", id_or_name}}));
  std::string id = JsonString(Field(found, "experiment"), "experiment_id");
  if (id.empty()) return NotFound("no experiment named '" + id_or_name + "'");
  return id;
}

Result<std::vector<std::string>> AllExperimentIds(ApiClient& client, const std::string& view) {
  std::vector<std::string> ids;
  ExperimentQuery query;
  query.view = view;
  do {
    ASSIGN_OR_RETURN(Listing page, ListExperiments(client, query));
    for (const json& e : page.items) ids.push_back(JsonString(e, "id"));
    query.page_token = page.next_page_token;
  } while (!query.page_token.empty());
  return ids;
}

}  // namespace mlcost::cli
