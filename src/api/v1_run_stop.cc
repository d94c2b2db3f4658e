// Stopping a running run from the server side:
//   POST /api/v1/runs/{run_id}/stop {"reason": "..."}  asks the run to stop (a person, a budget);
//                                                     recorded as tag mlcost.stop_requested
//   GET  /api/v1/runs/{run_id}/should-stop             {"stop": bool, "reason": ..., "pruner": ...}
// `mlcost run` polls should-stop and ends a job the server wants stopped (SIGTERM, grace,
// SIGKILL), recording the attempt as `pruned` with the reason. The pruners (issue 5) answer
// through the same endpoint.
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "tracking/validation.h"

namespace mlcost::api::v1 {
namespace {

constexpr char kStopRequestedTag[] = "mlcost.stop_requested";

JsonResult ShouldStop(ApiContext& ctx, const std::string& run_id) {
  RETURN_IF_ERROR(tracking::ValidateRunId(run_id));
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  for (const KeyValue& tag : run.tags) {
    if (tag.key == kStopRequestedTag) {
      return Json{{"stop", true}, {"reason", tag.value}, {"pruner", nullptr}};
    }
  }
  return Json{{"stop", false}, {"reason", nullptr}, {"pruner", nullptr}};
}

JsonResult RequestStop(ApiContext& ctx, const std::string& run_id, const Args& args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"reason"}));
  ASSIGN_OR_RETURN(std::string reason, args.StringOr("reason", "stop requested"));
  if (reason.empty()) reason = "stop requested";
  RETURN_IF_ERROR(tracking::ValidateRunId(run_id));
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  if (run.info.status != "RUNNING") {
    return InvalidArgument("run " + run_id + " is " + run.info.status + ", not RUNNING: nothing to stop");
  }
  tracking::LogBatchRequest batch;
  batch.run_id = run_id;
  batch.tags = {{kStopRequestedTag, reason}};
  RETURN_IF_ERROR(tracking::ValidateTag(batch.tags[0]));
  RETURN_IF_ERROR(ctx.tracking.LogBatch(batch));
  return ShouldStop(ctx, run_id);
}

}  // namespace

void RegisterRunStopRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/runs/{run_id}/should-stop",
           JsonHandler([c](const ApiRequest& request, Args) { return ShouldStop(*c, request.captures[0]); }));
  AddRoute(router, "POST", "/api/v1/runs/{run_id}/stop", JsonHandler([c](const ApiRequest& request, Args args) {
             return RequestStop(*c, request.captures[0], args);
           }));
}

}  // namespace mlcost::api::v1
