// /api/v1/experiments: list, create, get, patch (name, tags), delete, restore.
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "tracking/validation.h"

namespace mlcost::api::v1 {
namespace {

JsonResult List(tracking::TrackingService& t, Args args) {
  tracking::SearchExperimentsRequest req;
  ASSIGN_OR_RETURN(req.filter, args.StringOr("filter", ""));
  ASSIGN_OR_RETURN(req.order_by, args.StringList("order_by"));
  ASSIGN_OR_RETURN(req.view, ParseView(args));
  ASSIGN_OR_RETURN(Page page, ParsePage(args));
  req.max_results = page.max_results;
  req.page_token = page.page_token;
  ASSIGN_OR_RETURN(auto found, t.SearchExperiments(req));
  Json experiments = Json::array();
  for (const Experiment& e : found.experiments) experiments.push_back(ExperimentJson(e));
  return Json{{"experiments", std::move(experiments)}, {"next_page_token", found.next_page_token}};
}

JsonResult Create(tracking::TrackingService& t, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"name", "artifact_location", "tags"}));
  ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string location, args.StringOr("artifact_location", ""));
  ASSIGN_OR_RETURN(std::vector<KeyValue> tags, StringMap(args, "tags"));
  ASSIGN_OR_RETURN(std::string id, t.CreateExperiment(name, location, tags));
  ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(id));
  return ExperimentJson(e);
}

// Renames and/or sets tags. Everything is validated before anything is written.
JsonResult Patch(tracking::TrackingService& t, const std::string& id, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"name", "tags"}));
  ASSIGN_OR_RETURN(auto name, args.OptionalString("name"));
  ASSIGN_OR_RETURN(std::vector<KeyValue> tags, StringMap(args, "tags"));
  if (name) RETURN_IF_ERROR(tracking::ValidateExperimentName(*name));
  for (const KeyValue& tag : tags) RETURN_IF_ERROR(tracking::ValidateExperimentTag(tag.key, tag.value));
  ASSIGN_OR_RETURN(Experiment current, t.GetExperiment(id));
  if (name && *name != current.name) RETURN_IF_ERROR(t.RenameExperiment(id, *name));
  for (const KeyValue& tag : tags) RETURN_IF_ERROR(t.SetExperimentTag(id, tag.key, tag.value));
  ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(id));
  return ExperimentJson(e);
}

}  // namespace

void RegisterExperimentRoutes(Router& router, ApiContext& ctx) {
  tracking::TrackingService& t = ctx.tracking;

  AddRoute(router, "GET", "/api/v1/experiments",
           JsonHandler([&t](const ApiRequest&, Args args) { return List(t, args); }));
  AddRoute(router, "POST", "/api/v1/experiments",
           JsonHandler([&t](const ApiRequest&, Args args) { return Create(t, args); }, 201));

  AddRoute(router, "GET", "/api/v1/experiments/{experiment_id}",
           JsonHandler([&t](const ApiRequest& request, Args) -> JsonResult {
             ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(request.captures[0]));
             return ExperimentJson(e);
           }));
  AddRoute(router, "PATCH", "/api/v1/experiments/{experiment_id}",
           JsonHandler(
               [&t](const ApiRequest& request, Args args) { return Patch(t, request.captures[0], args); }));
  AddRoute(router, "DELETE", "/api/v1/experiments/{experiment_id}",
           JsonHandler([&t](const ApiRequest& request, Args) -> JsonResult {
             RETURN_IF_ERROR(t.DeleteExperiment(request.captures[0]));
             return Json::object();
           }));
  AddRoute(router, "POST", "/api/v1/experiments/{experiment_id}/restore",
           JsonHandler([&t](const ApiRequest& request, Args) -> JsonResult {
             RETURN_IF_ERROR(t.RestoreExperiment(request.captures[0]));
             ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(request.captures[0]));
             return ExperimentJson(e);
           }));
}

}  // namespace mlcost::api::v1
