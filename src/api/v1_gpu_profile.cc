// GET /api/v1/runs/{run_id}/gpu-profile: the run's GPU findings (profile/gpu_profile.h), each
// with its money impact from the run's live cost. Works for any run that logged MLflow-style
// system/gpu_N_* metrics. Money is a decimal string.
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"
#include "profile/gpu_profile.h"
#include "profile/profile_input.h"
#include "tracking/validation.h"

namespace mlcost::api::v1 {
namespace {

Json OptionalNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptionalMoney(const std::optional<Decimal>& v) { return v ? Json(v->ToString()) : Json(nullptr); }

Json Thresholds() {
  return Json{{"idle_utilization_percent", profile::kIdleUtilizationPercent},
              {"mostly_idle_share", profile::kMostlyIdleShare},
              {"fluctuating_high_percent", profile::kFluctuatingHighPercent},
              {"cpu_busy_percent_of_cores", profile::kCpuBusyPercentOfCores},
              {"io_busy_megabytes_per_second", profile::kIoBusyMegabytesPerSecond},
              {"bottleneck_share", profile::kBottleneckShare},
              {"memory_headroom_share", profile::kMemoryHeadroomShare},
              {"memory_margin", profile::kMemoryMargin},
              {"min_points", profile::kMinPoints}};
}

Json GpuJson(const profile::GpuReport& g) {
  Json findings = Json::array();
  for (const profile::Finding& f : g.findings) {
    findings.push_back({{"kind", f.kind},
                        {"message", f.message},
                        {"share", f.share},
                        {"money_impact", OptionalMoney(f.money_impact)}});
  }
  return Json{
      {"index", g.index},
      {"name", g.name},
      {"points", g.points},
      {"utilization",
       {{"mean", g.mean_utilization},
        {"p5", g.p5_utilization},
        {"p95", g.p95_utilization},
        {"idle_share", g.idle_share}}},
      {"memory",
       {{"peak_mib", OptionalNumber(g.peak_memory_mib)}, {"total_mib", OptionalNumber(g.total_memory_mib)}}},
      {"mean_power_watts", OptionalNumber(g.mean_power_watts)},
      {"energy_joules", OptionalNumber(g.energy_joules)},
      {"cost_share", OptionalMoney(g.cost_share)},
      {"findings", std::move(findings)}};
}

JsonResult GetGpuProfile(ApiContext& ctx, const std::string& run_id) {
  RETURN_IF_ERROR(tracking::ValidateRunId(run_id));
  ASSIGN_OR_RETURN(Run run, ctx.tracking.GetRun(run_id));
  AttributionResolver resolver(ctx.tracking);
  ASSIGN_OR_RETURN(EvaluatedRun evaluated, EvaluateRun(ctx, resolver, run));
  ASSIGN_OR_RETURN(profile::ProfileInput input, profile::LoadProfileInput(ctx.tracking, run));
  if (evaluated.cost.known) {
    input.cost = evaluated.cost.cost_so_far;
    input.currency = evaluated.cost.quote.currency;
  }
  profile::GpuProfile p = profile::ComputeGpuProfile(input);
  Json gpus = Json::array();
  for (const profile::GpuReport& g : p.gpus) gpus.push_back(GpuJson(g));
  std::string note;
  if (p.gpus.empty()) {
    note = "no system/gpu_N_* metrics logged for this run (no GPU, or not run under `mlcost run`)";
  } else if (!evaluated.cost.known) {
    note = "the run is not priced (" + evaluated.cost.reason + "): findings carry no money impact";
  }
  return Json{{"run_id", run.info.run_id},
              {"cost", input.cost ? Json(input.cost->ToString()) : Json(nullptr)},
              {"currency", input.currency},
              {"final", evaluated.final},
              {"cpu_count", input.cpu_count > 0 ? Json(input.cpu_count) : Json(nullptr)},
              {"gpus", std::move(gpus)},
              {"thresholds", Thresholds()},
              {"note", note}};
}

}  // namespace

void RegisterGpuProfileRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(
      router, "GET", "/api/v1/runs/{run_id}/gpu-profile",
      JsonHandler([c](const ApiRequest& request, Args) { return GetGpuProfile(*c, request.captures[0]); }));
}

}  // namespace mlcost::api::v1
