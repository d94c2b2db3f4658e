// The OpenAPI 3.0 document of /api/v1 (and /healthz), served at GET /api/v1/openapi.json.
// api_test.cc checks that its paths and methods are exactly the routes RegisterV1Routes adds,
// so the document cannot drift from the code.
#ifndef MLCOST_API_OPENAPI_H_
#define MLCOST_API_OPENAPI_H_

#include <nlohmann/json.hpp>
#include <string_view>

namespace mlcost::api {

// mlcost's release, as CMakeLists.txt's project(VERSION) states it.
inline constexpr std::string_view kMlcostVersion = "0.1.0";

// The whole document. Built once; thread-safe.
const nlohmann::json& V1OpenApiDocument();

// components.schemas of the document (openapi_schemas.cc).
nlohmann::json V1OpenApiSchemas();

// The explorer's paths and schemas (openapi_explorer.cc), added to the document.
void AddExplorerOpenApiPaths(nlohmann::json& paths);
void AddExplorerOpenApiSchemas(nlohmann::json& schemas);
// The /api/v1/anomalies and /api/v1/forecast paths and their schemas (openapi_costs.cc).
void AddCostInsightPaths(nlohmann::json& paths);
void AddCostInsightSchemas(nlohmann::json& schemas);
// The /api/v1/sql and /api/v1/queries paths and schemas (openapi_sql.cc).
void AddSqlOpenApiPaths(nlohmann::json& paths);
void AddSqlOpenApiSchemas(nlohmann::json& schemas);
// The /api/v1/runs/{run_id}/gpu-profile path and its schemas (openapi_profile.cc).
void AddProfileOpenApiPaths(nlohmann::json& paths);
void AddProfileOpenApiSchemas(nlohmann::json& schemas);
// should-stop and stop (v1_run_stop.cc); documented in openapi_profile.cc.
void AddRunStopOpenApi(nlohmann::json& paths, nlohmann::json& schemas);
// /api/v1/quotas (openapi_quotas.cc).
void AddQuotaOpenApi(nlohmann::json& paths, nlohmann::json& schemas);

}  // namespace mlcost::api

#endif  // MLCOST_API_OPENAPI_H_
