// Stopping a running run from the server side:
//   POST /api/v1/runs/{run_id}/stop {"reason": "..."}  asks the run to stop (a person, a budget);
//                                                     recorded as tag mlcost.stop_requested
//   GET  /api/v1/runs/{run_id}/should-stop             {"stop": bool, "reason": ..., "pruner": ...}
//   PUT/GET/DELETE /api/v1/experiments/{id}/pruner      the experiment's pruner (earlystop/)
// `mlcost run` polls should-stop and ends a job the server wants stopped (SIGTERM, grace,
// SIGKILL), recording the attempt as `pruned` with the reason. A stop request wins over the
// experiment's pruner, which is asked otherwise. Order: stop request, quota (action stop),
// per-run budget, pruner.
#include "api/v1_run_stop.h"

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "api/v1_quota_engine.h"
#include "earlystop/budget_guard.h"
#include "earlystop/pruner_service.h"
#include "tracking/validation.h"

namespace mlcost::api::v1 {
namespace {

// A stop that is not a pruner's: a request, a quota, the run's own budget.
Json StopJson(const std::string& reason) {
  earlystop::StopDecision d;
  d.stop = true;
  d.reason = reason;
  return StopDecisionJson(d);
}

constexpr char kStopRequestedTag[] = "mlcost.stop_requested";

JsonResult ShouldStop(ApiContext& ctx, const std::string& run_id) {
  RETURN_IF_ERROR(tracking::ValidateRunId(run_id));
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  if (const std::string* requested = FindKey(run.tags, kStopRequestedTag); requested != nullptr) {
    return StopJson(*requested);
  }
  // A quota with action stop whose scope has spent its limit (docs/quotas.md).
  {
    QuotaEngine quotas(ctx);
    ASSIGN_OR_RETURN(std::optional<std::string> reason, quotas.StopReason(run));
    if (reason) return StopJson(*reason);
  }
  // Cost-aware stopping: a run that has spent its budget, or cannot reach its target within it.
  ASSIGN_OR_RETURN(earlystop::RunBudget budget, earlystop::BudgetFromTags(run.tags));
  if (budget.any() && run.info.status == "RUNNING") {
    AttributionResolver resolver(ctx.tracking);
    ASSIGN_OR_RETURN(EvaluatedRun evaluated, EvaluateRun(ctx, resolver, run));
    earlystop::SpendSoFar spend;
    if (evaluated.cost.known) {
      spend.cost = evaluated.cost.cost_so_far;
      spend.hourly_price = evaluated.cost.quote.hourly_price;
      spend.currency = evaluated.cost.quote.currency;
      spend.gpu_count = evaluated.cost.quote.gpu_count;
    }
    spend.billable_seconds = evaluated.cost.billable_seconds;
    int64_t since_ms = evaluated.attempts.empty() ? 0 : evaluated.attempts.back().start_time_ms;
    ASSIGN_OR_RETURN(std::optional<earlystop::Progress> progress, earlystop::LoadProgress(ctx.tracking, run, since_ms));
    earlystop::BudgetVerdict verdict = earlystop::JudgeBudget(budget, spend, progress);
    if (verdict.stop) return StopJson(verdict.reason);
  }
  earlystop::PrunerService pruners(ctx.tracking, ctx.pruner_index.get());
  ASSIGN_OR_RETURN(earlystop::StopDecision decision, pruners.Decide(run));
  return StopDecisionJson(decision);
}

JsonResult PutPruner(ApiContext& ctx, const std::string& experiment_id, const Args& args) {
  ASSIGN_OR_RETURN(earlystop::ExperimentPruner pruner, earlystop::ParseExperimentPruner(args.json()));
  earlystop::PrunerService pruners(ctx.tracking, ctx.pruner_index.get());
  RETURN_IF_ERROR(pruners.Set(experiment_id, pruner));
  if (ctx.pruner_changed) ctx.pruner_changed(experiment_id);
  return earlystop::ExperimentPrunerToJson(pruner);
}

JsonResult GetPruner(ApiContext& ctx, const std::string& experiment_id) {
  earlystop::PrunerService pruners(ctx.tracking);
  ASSIGN_OR_RETURN(std::optional<earlystop::ExperimentPruner> pruner, pruners.Get(experiment_id));
  if (!pruner) return NotFound("experiment " + experiment_id + " has no pruner (PUT one first)");
  return earlystop::ExperimentPrunerToJson(*pruner);
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

nlohmann::json StopDecisionJson(const earlystop::StopDecision& d) {
  return Json{{"stop", d.stop},
              {"finish", d.finish},
              {"reason", d.reason.empty() ? Json(nullptr) : Json(d.reason)},
              {"pruner", d.pruner.empty() ? Json(nullptr) : Json(d.pruner)}};
}

void RegisterRunStopRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/runs/{run_id}/should-stop",
           JsonHandler([c](const ApiRequest& request, Args) { return ShouldStop(*c, request.captures[0]); }));
  AddRoute(router, "POST", "/api/v1/runs/{run_id}/stop", JsonHandler([c](const ApiRequest& request, Args args) {
             return RequestStop(*c, request.captures[0], args);
           }));
  AddRoute(router, "PUT", "/api/v1/experiments/{experiment_id}/pruner",
           JsonHandler([c](const ApiRequest& request, Args args) { return PutPruner(*c, request.captures[0], args); }));
  AddRoute(router, "GET", "/api/v1/experiments/{experiment_id}/pruner",
           JsonHandler([c](const ApiRequest& request, Args) { return GetPruner(*c, request.captures[0]); }));
  AddRoute(router, "DELETE", "/api/v1/experiments/{experiment_id}/pruner",
           JsonHandler([c](const ApiRequest& request, Args) -> JsonResult {
             earlystop::PrunerService pruners(c->tracking, c->pruner_index.get());
             RETURN_IF_ERROR(pruners.Clear(request.captures[0]));
             return Json::object();
           }));
}

}  // namespace mlcost::api::v1
