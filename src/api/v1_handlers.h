// Route registration of each /api/v1 resource, one file per resource (v1_*.cc). RegisterV1Routes
// (v1_routes.h) calls them all. Every handler answers JSON through JsonHandler, errors through
// http_error.h.
#ifndef MLCOST_API_V1_HANDLERS_H_
#define MLCOST_API_V1_HANDLERS_H_

#include "api/api_context.h"
#include "api/router.h"

namespace mlcost::api::v1 {

// /api/v1/experiments[/{experiment_id}[/restore]]
void RegisterExperimentRoutes(Router& router, ApiContext& ctx);
// /api/v1/runs[/{run_id}[/restore]]
void RegisterRunRoutes(Router& router, ApiContext& ctx);
// /api/v1/runs/{run_id}/metrics[/{key}], /params, /tags[/{key}]
void RegisterRunDataRoutes(Router& router, ApiContext& ctx);
// /api/v1/teams, /api/v1/users, /api/v1/projects [/{name}]
void RegisterOrgRoutes(Router& router, ApiContext& ctx);
// /api/v1/costs/runs
void RegisterCostRoutes(Router& router, ApiContext& ctx);
// /api/v1/costs, /api/v1/allocation/rules, /api/v1/leaderboards/*, /api/v1/runs/{run_id}/billed-cost
void RegisterExplorerRoutes(Router& router, ApiContext& ctx);
// /api/v1/ingests[/{ingest_id}]
void RegisterIngestRoutes(Router& router, ApiContext& ctx);
// /api/v1/anomalies (v1_anomalies.cc)
void RegisterAnomalyRoutes(Router& router, ApiContext& ctx);
// /api/v1/forecast (v1_forecast.cc)
void RegisterForecastRoutes(Router& router, ApiContext& ctx);
// /api/v1/runs/{run_id}/gpu-profile (v1_gpu_profile.cc)
void RegisterGpuProfileRoutes(Router& router, ApiContext& ctx);
// /api/v1/runs/{run_id}/should-stop, /api/v1/runs/{run_id}/stop (v1_run_stop.cc)
void RegisterRunStopRoutes(Router& router, ApiContext& ctx);
// /api/v1/quotas[/{quota_id}[/status]], /api/v1/quotas/audit (v1_quotas.cc)
void RegisterQuotaRoutes(Router& router, ApiContext& ctx);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_HANDLERS_H_
