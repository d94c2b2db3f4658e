// The GPU profile part of the /api/v1 OpenAPI document (v1_gpu_profile.cc).
#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders

void AddProfileOpenApiPaths(nlohmann::json& p) {
  p["/api/v1/runs/{run_id}/gpu-profile"]["get"] = Op(
      "A run's GPU findings (idle, CPU / I/O bound, memory headroom, fluctuating) per GPU, from its system/ "
      "metrics, each with its money impact from the run's cost (docs/run.md)",
      {PathParam("run_id", "run id")}, "", 200, "GpuProfile");
}

void AddRunStopOpenApi(nlohmann::json& p, nlohmann::json& s) {
  p["/api/v1/runs/{run_id}/should-stop"]["get"] =
      Op("Whether the server wants this run stopped (a stop request, a pruner); `mlcost run` polls it and ends "
         "the job, recording the attempt as pruned with the reason (docs/run.md)",
         {PathParam("run_id", "run id")}, "", 200, "StopDecision");
  p["/api/v1/runs/{run_id}/stop"]["post"] =
      Op("Ask a RUNNING run to stop (tag mlcost.stop_requested); its `mlcost run` stops the job at its next poll",
         {PathParam("run_id", "run id")}, "StopRequest", 200, "StopDecision");
  s["StopDecision"] = Object({{"stop", {{"type", "boolean"}}},
                              {"finish", {{"type", "boolean"},
                                          {"description", "with stop: the run used its whole budget (ASHA's max_t); "
                                                          "it ends FINISHED, not pruned"}}},
                              {"reason", Nullable(Str("why, when stop is true"))},
                              {"pruner", Nullable(Str("the pruner type that decided; null for a stop request"))}},
                             {"stop", "finish", "reason", "pruner"});
  s["StopRequest"] = Object({{"reason", Str("default \"stop requested\"")}});
  p["/api/v1/experiments/{experiment_id}/pruner"]["put"] =
      Op("Set the experiment's pruner (Optuna 3.x parameter names; docs/pruning.md): its runs in creation order "
         "are the trials, the metric's history their intermediate values",
         {PathParam("experiment_id", "experiment id")}, "Pruner", 200, "Pruner");
  p["/api/v1/experiments/{experiment_id}/pruner"]["get"] =
      Op("The experiment's pruner, every parameter spelled out; 404 when none", {PathParam("experiment_id", "experiment id")},
         "", 200, "Pruner");
  p["/api/v1/experiments/{experiment_id}/pruner"]["delete"] =
      Op("Remove the experiment's pruner", {PathParam("experiment_id", "experiment id")}, "", 200, "Empty");
  s["Pruner"] = Object({{"metric", Str("the metric judged, e.g. val_loss")},
                        {"direction", Enum({"minimize", "maximize"})},
                        {"type", Enum({"median", "percentile", "successive_halving", "hyperband", "threshold",
                                       "patient", "asha"})},
                        {"params", {{"type", "object"}, {"description", "the pruner's constructor arguments"}}},
                        {"wrapped", {{"type", "object"}, {"description", "patient only: the pruner it wraps"}}}},
                       {"metric", "type"});
}

void AddProfileOpenApiSchemas(nlohmann::json& s) {
  Json number = {{"type", "number"}};
  Json nullable_number = Nullable(number);
  s["GpuFinding"] =
      Object({{"kind", Enum({"idle", "cpu_bound", "io_bound", "memory_headroom", "fluctuating"})},
              {"message", Str("one sentence with the numbers")},
              {"share",
               {{"type", "number"},
                {"description",
                 "share of the GPU's points (0..1); "
                 "memory_headroom: peak / total"}}},
              {"money_impact", Nullable(Money("share x the GPU's cost share; null when the run "
                                              "is unpriced, and for memory_headroom"))}});
  s["GpuReport"] = Object(
      {{"index", Int("NVML device index")},
       {"name", Str("device name from mlcost.gpu_names (\"\" when unknown)")},
       {"points", Int("utilisation points (one per sampler window)")},
       {"utilization", Object({{"mean", number}, {"p5", number}, {"p95", number}, {"idle_share", number}})},
       {"memory", Object({{"peak_mib", nullable_number}, {"total_mib", nullable_number}})},
       {"mean_power_watts", nullable_number},
       {"energy_joules", nullable_number},
       {"cost_share", Nullable(Money("the run cost divided evenly over its GPUs"))},
       {"findings", Array(Ref("GpuFinding"))}});
  s["GpuProfile"] =
      Object({{"run_id", Str("")},
              {"cost", Nullable(Money("the run's cost so far; null when unpriced"))},
              {"currency", Str("")},
              {"final", Bool("the run has ended, so the cost is fixed")},
              {"cpu_count", Nullable(Int("mlcost.cpu_count"))},
              {"gpus", Array(Ref("GpuReport"))},
              {"thresholds", {{"type", "object"}, {"description", "the thresholds applied (docs/run.md)"}}},
              {"note", Str("why there are no GPUs or no money; \"\" otherwise")}});
}

}  // namespace mlcost::api
