// MLflow's artifact proxy (mlflow_artifacts.proto): list, download and delete under
// /api/2.0/mlflow-artifacts/artifacts, and the run-based /api/2.0/mlflow/artifacts/list.
// Uploads (PUT) stream to disk in the server adapter, which calls ArtifactStore directly.
#include "api/http_error.h"
#include "api/json_handler.h"
#include "api/mlflow_routes.h"

namespace mlcost::api {
namespace {

constexpr const char* kArtifactsPath = "/api/2.0/mlflow-artifacts/artifacts";
constexpr const char* kUriScheme = "mlflow-artifacts:";

nlohmann::json Files(const std::vector<tracking::ArtifactEntry>& entries, const std::string& strip) {
  nlohmann::json files = nlohmann::json::array();
  for (const tracking::ArtifactEntry& e : entries) {
    std::string path = e.path;
    if (!strip.empty() && path.rfind(strip + "/", 0) == 0) path = path.substr(strip.size() + 1);
    nlohmann::json f = {{"path", path}, {"is_dir", e.is_dir}};
    if (e.file_size) f["file_size"] = *e.file_size;
    files.push_back(std::move(f));
  }
  return files;
}

// "mlflow-artifacts:/1/abc/artifacts" -> "1/abc/artifacts". InvalidArgument for other schemes:
// runs whose artifacts live elsewhere are written there by the client directly.
Result<std::string> ProxiedPrefix(const std::string& uri) {
  std::string rest;
  if (uri.rfind(kUriScheme, 0) == 0) {
    rest = uri.substr(std::string(kUriScheme).size());
  } else {
    return InvalidArgument("artifact URI '" + uri + "' is not served by this server's artifact proxy");
  }
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  return rest;
}

}  // namespace

void RegisterMlflowArtifactRoutes(Router& router, ApiContext& ctx) {
  const tracking::ArtifactStore& store = ctx.artifacts;
  tracking::TrackingService& t = ctx.tracking;

  router.Add("GET", kArtifactsPath, JsonHandler([&store](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
    ASSIGN_OR_RETURN(std::string path, args.StringOr("path", ""));
    ASSIGN_OR_RETURN(auto entries, store.List(path));
    nlohmann::json out = nlohmann::json::object();
    if (!entries.empty()) out["files"] = Files(entries, path);
    return out;
  }));

  router.AddPattern("GET", std::string(kArtifactsPath) + "/(.+)", [&store](const ApiRequest& request) {
    auto file = store.Resolve(request.captures[0]);
    if (!file.ok()) return ErrorResponse(file.status());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec)) {
      return ErrorResponse(NotFound("artifact '" + request.captures[0] + "' does not exist"));
    }
    ApiResponse response;
    response.content_type = "application/octet-stream";
    response.body.clear();
    response.file_path = *file;
    return response;
  });

  router.AddPattern("DELETE", std::string(kArtifactsPath) + "/(.+)", [&store](const ApiRequest& request) {
    Status s = store.Delete(request.captures[0]);
    return s.ok() ? ApiResponse{} : ErrorResponse(s);
  });

  AddMlflowRoute(router, "GET", "artifacts/list",
                 JsonHandler([&store, &t](const ApiRequest&, const RequestArgs& args) -> Result<nlohmann::json> {
                   ASSIGN_OR_RETURN(auto run_id, args.OptionalString("run_id"));
                   if (!run_id || run_id->empty()) {
                     ASSIGN_OR_RETURN(run_id, args.OptionalString("run_uuid"));
                   }
                   if (!run_id || run_id->empty()) return MissingParameter("run_id");
                   ASSIGN_OR_RETURN(std::string path, args.StringOr("path", ""));
                   ASSIGN_OR_RETURN(Run run, t.GetRun(*run_id));
                   ASSIGN_OR_RETURN(std::string prefix, ProxiedPrefix(run.info.artifact_uri));
                   std::string dir = path.empty() ? prefix : prefix + "/" + path;
                   ASSIGN_OR_RETURN(auto entries, store.List(dir));
                   nlohmann::json out = {{"root_uri", run.info.artifact_uri}};
                   if (!entries.empty()) out["files"] = Files(entries, prefix);
                   return out;
                 }));
}

}  // namespace mlcost::api
