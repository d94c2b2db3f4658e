// RegisterV1Routes: /healthz, /api/v1/openapi.json and every /api/v1 resource (v1_*.cc).
#include "api/v1_routes.h"

#include "api/json_handler.h"
#include "api/openapi.h"
#include "api/v1_handlers.h"
#include "store/migrations.h"
#include "tracking/read_pool.h"

namespace mlcost::api {

void RegisterV1Routes(Router& router, ApiContext& ctx) {
  tracking::TrackingService& t = ctx.tracking;
  // Reads the schema version on each call, so a probe also proves the database answers.
  router.Add("GET", "/healthz",
             JsonHandler([&t](const ApiRequest&, const RequestArgs&) -> Result<nlohmann::json> {
               ASSIGN_OR_RETURN(auto conn, t.reads().Acquire());
               ASSIGN_OR_RETURN(int version, store::SchemaVersion(*conn));
               return nlohmann::json{
                   {"status", "ok"}, {"version", std::string(kMlcostVersion)}, {"schema_version", version}};
             }));
  router.Add("GET", "/api/v1/openapi.json",
             JsonHandler([](const ApiRequest&, const RequestArgs&) -> Result<nlohmann::json> {
               return V1OpenApiDocument();
             }));
  v1::RegisterExperimentRoutes(router, ctx);
  v1::RegisterRunRoutes(router, ctx);
  v1::RegisterRunDataRoutes(router, ctx);
  v1::RegisterOrgRoutes(router, ctx);
  v1::RegisterCostRoutes(router, ctx);
  v1::RegisterExplorerRoutes(router, ctx);
  v1::RegisterIngestRoutes(router, ctx);
  v1::RegisterAnomalyRoutes(router, ctx);
  v1::RegisterForecastRoutes(router, ctx);
  v1::RegisterGpuProfileRoutes(router, ctx);
  v1::RegisterRunStopRoutes(router, ctx);
  v1::RegisterQuotaRoutes(router, ctx);
}

}  // namespace mlcost::api
