// mlcost's own REST API under /api/v1 (docs/api.md), its OpenAPI document at
// /api/v1/openapi.json, and /healthz.
#ifndef MLCOST_API_V1_ROUTES_H_
#define MLCOST_API_V1_ROUTES_H_

#include "api/api_context.h"
#include "api/router.h"

namespace mlcost::api {

void RegisterV1Routes(Router& router, ApiContext& ctx);

}  // namespace mlcost::api

#endif  // MLCOST_API_V1_ROUTES_H_
