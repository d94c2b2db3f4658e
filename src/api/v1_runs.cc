// /api/v1/runs: list, create, get, patch, delete, restore. A run's resource fields (instance
// type, provider, region, pricing, GPUs, accelerator, team, project) are stored as mlcost.* run
// tags, so MLflow clients setting those tags and /api/v1 clients see the same run.
#include <algorithm>
#include <cctype>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "api/v1_run_creation_quotas.h"
#include "common/time_util.h"
#include "tracking/validation.h"

namespace mlcost::api::v1 {
namespace {

struct ResourceField {
  const char* field;
  const char* tag;
};

constexpr ResourceField kResourceFields[] = {
    {"instance_type", pricing::kTagInstanceType},
    {"provider", pricing::kTagProvider},
    {"region", pricing::kTagRegion},
    {"pricing", pricing::kTagPricing},
    {"gpu_count", pricing::kTagGpuCount},
    {"accelerator", pricing::kTagAccelerator},
    {"team", kTagTeam},
    {"project", kTagProject},
};

struct ResourceChanges {
  std::vector<KeyValue> set;         // tags to write
  std::vector<std::string> cleared;  // tags to delete (field given as null in a PATCH)
};

Status BadField(const char* field, const Json& value, const char* expected) {
  return InvalidArgument("Invalid value " + Dump(value) + " for field '" + field + "': expected " + expected);
}

// The tag value of one resource field. gpu_count: a non-negative integer (or a string of digits);
// pricing: "on-demand" or "spot"; the others: a non-empty string.
Result<std::string> ResourceValue(const char* field, const Json& v) {
  if (std::string_view(field) == "gpu_count") {
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return std::to_string(v.get<int64_t>());
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (!s.empty() && s.size() <= 9 &&
          std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::to_string(std::stoll(s));
      }
    }
    return BadField(field, v, "a non-negative integer");
  }
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
    return BadField(field, v, "a non-empty string (null clears it in a PATCH)");
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (std::string_view(field) == "pricing" && s != "on-demand" && s != "spot") {
    return BadField(field, v, "\"on-demand\" or \"spot\"");
  }
  return s;
}

// `allow_clear`: a field given as JSON null deletes its tag (PATCH); otherwise null is absent.
Result<ResourceChanges> ParseResourceFields(Args args, bool allow_clear) {
  ResourceChanges out;
  for (const ResourceField& f : kResourceFields) {
    auto it = args.json().find(f.field);
    if (it == args.json().end()) continue;
    if (it->is_null()) {
      if (allow_clear) out.cleared.push_back(f.tag);
      continue;
    }
    ASSIGN_OR_RETURN(std::string value, ResourceValue(f.field, *it));
    out.set.push_back({f.tag, std::move(value)});
  }
  return out;
}

JsonResult RenderRun(ApiContext& ctx, const std::string& run_id) {
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  AttributionResolver resolver(ctx.tracking);
  return LoadRunJson(ctx, resolver, run);
}

JsonResult List(ApiContext& ctx, Args args) {
  tracking::SearchRunsRequest req;
  ASSIGN_OR_RETURN(req.experiment_ids, args.StringList("experiment_id"));
  ASSIGN_OR_RETURN(req.filter, args.StringOr("filter", ""));
  ASSIGN_OR_RETURN(req.order_by, args.StringList("order_by"));
  ASSIGN_OR_RETURN(req.view, ParseView(args));
  ASSIGN_OR_RETURN(Page page, ParsePage(args));
  req.max_results = page.max_results;
  req.page_token = page.page_token;
  AttributionResolver resolver(ctx.tracking);
  if (req.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(std::vector<Experiment> all, AllExperiments(ctx.tracking));
    for (const Experiment& e : all) {
      req.experiment_ids.push_back(e.experiment_id);
      resolver.AddExperiment(e);
    }
  }
  ASSIGN_OR_RETURN(auto found, ctx.tracking.SearchRuns(req));
  Json runs = Json::array();
  for (const Run& run : found.runs) {
    ASSIGN_OR_RETURN(Json r, LoadRunJson(ctx, resolver, run));
    runs.push_back(std::move(r));
  }
  return Json{{"runs", std::move(runs)}, {"next_page_token", found.next_page_token}};
}

JsonResult Create(ApiContext& ctx, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(
      args, {"experiment_id", "name", "user", "start_time", "tags", "instance_type", "provider", "region",
             "pricing", "gpu_count", "accelerator", "team", "project"}));
  tracking::CreateRunRequest req;
  ASSIGN_OR_RETURN(auto experiment_id, OptionalId(args, "experiment_id"));
  req.experiment_id = experiment_id && !experiment_id->empty() ? *experiment_id : "0";
  ASSIGN_OR_RETURN(req.run_name, args.StringOr("name", ""));
  ASSIGN_OR_RETURN(req.user_id, args.StringOr("user", ""));
  ASSIGN_OR_RETURN(req.start_time_ms, OptionalTimeMs(args, "start_time"));
  ASSIGN_OR_RETURN(req.tags, StringMap(args, "tags"));
  ASSIGN_OR_RETURN(ResourceChanges resources, ParseResourceFields(args, /*allow_clear=*/false));
  // Written with the run in one atomic CreateRun; a resource field wins over the same key in tags.
  for (KeyValue& tag : resources.set) req.tags.push_back(std::move(tag));
  RunCreationQuotas quotas(ctx, req);
  RETURN_IF_ERROR(quotas.Gate());  // a quota with action block (docs/quotas.md)
  ASSIGN_OR_RETURN(Run run, ctx.tracking.CreateRun(req));
  quotas.AfterCreated();
  AttributionResolver resolver(ctx.tracking);
  return LoadRunJson(ctx, resolver, run);
}

// Validates the whole body first, then writes resource tags (LogBatch, the path MLflow's set-tag
// takes), then status / end_time / name (UpdateRun).
JsonResult Patch(ApiContext& ctx, const std::string& run_id, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"status", "end_time", "name", "instance_type", "provider", "region",
                                          "pricing", "gpu_count", "accelerator", "team", "project",
                                          "end_cause", "attempt_start_time"}));
  tracking::UpdateRunRequest update;
  update.run_id = run_id;
  ASSIGN_OR_RETURN(update.status, args.OptionalString("status"));
  ASSIGN_OR_RETURN(update.end_time_ms, OptionalTimeMs(args, "end_time"));
  ASSIGN_OR_RETURN(update.run_name, args.OptionalString("name"));
  ASSIGN_OR_RETURN(update.end_cause, args.OptionalString("end_cause"));
  ASSIGN_OR_RETURN(update.attempt_start_ms, OptionalTimeMs(args, "attempt_start_time"));
  ASSIGN_OR_RETURN(ResourceChanges resources, ParseResourceFields(args, /*allow_clear=*/true));
  RETURN_IF_ERROR(tracking::ValidateRunId(run_id));
  if (update.status) RETURN_IF_ERROR(tracking::ValidateRunStatus(*update.status));
  if (update.end_cause) {
    RETURN_IF_ERROR(tracking::ValidateEndCause(*update.end_cause));
    if (!update.status || *update.status == "RUNNING" || *update.status == "SCHEDULED") {
      return InvalidArgument("end_cause needs a terminal status (FINISHED, FAILED or KILLED) in the same request");
    }
  }
  if (update.run_name) RETURN_IF_ERROR(tracking::ValidateTagValue(*update.run_name, "name"));
  for (const KeyValue& tag : resources.set) RETURN_IF_ERROR(tracking::ValidateTag(tag));

  if (!resources.set.empty()) {
    tracking::LogBatchRequest batch;
    batch.run_id = run_id;
    batch.tags = resources.set;
    RETURN_IF_ERROR(ctx.tracking.LogBatch(batch));
  }
  for (const std::string& tag : resources.cleared) {
    Status s = ctx.tracking.DeleteTag(run_id, tag);
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
  }
  if (update.status || update.end_time_ms || update.run_name || update.attempt_start_ms) {
    ASSIGN_OR_RETURN(RunInfo info, ctx.tracking.UpdateRun(update));
    (void)info;
  }
  return RenderRun(ctx, run_id);
}

}  // namespace

void RegisterRunRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/runs",
           JsonHandler([c](const ApiRequest&, Args args) { return List(*c, args); }));
  AddRoute(router, "POST", "/api/v1/runs",
           JsonHandler([c](const ApiRequest&, Args args) { return Create(*c, args); }, 201));
  AddRoute(router, "GET", "/api/v1/runs/{run_id}",
           JsonHandler([c](const ApiRequest& request, Args) { return RenderRun(*c, request.captures[0]); }));
  AddRoute(router, "PATCH", "/api/v1/runs/{run_id}", JsonHandler([c](const ApiRequest& request, Args args) {
             return Patch(*c, request.captures[0], args);
           }));
  AddRoute(router, "DELETE", "/api/v1/runs/{run_id}",
           JsonHandler([c](const ApiRequest& request, Args) -> JsonResult {
             RETURN_IF_ERROR(c->tracking.DeleteRun(request.captures[0]));
             return Json::object();
           }));
  AddRoute(router, "POST", "/api/v1/runs/{run_id}/restore",
           JsonHandler([c](const ApiRequest& request, Args) -> JsonResult {
             RETURN_IF_ERROR(c->tracking.RestoreRun(request.captures[0]));
             return RenderRun(*c, request.captures[0]);
           }));
}

}  // namespace mlcost::api::v1
