// The MLflow-compatible REST API under /api/2.0/mlflow/ (and /ajax-api/2.0/mlflow/, which
// MLflow's UI uses), answering as MLflow's own tracking server does.
#ifndef MLCOST_API_MLFLOW_ROUTES_H_
#define MLCOST_API_MLFLOW_ROUTES_H_

#include <string>

#include "api/api_context.h"
#include "api/request_args.h"
#include "api/router.h"

namespace mlcost::api {

// Registers `handler` for METHOD at /api/2.0/mlflow/<path> and /ajax-api/2.0/mlflow/<path>.
void AddMlflowRoute(Router& router, const std::string& method, const std::string& path, Handler handler);

// MLflow's ViewType from field `key`: "ACTIVE_ONLY" (default), "DELETED_ONLY", "ALL" or 1, 2, 3.
Result<tracking::ViewType> ParseMlflowViewType(const RequestArgs& args, const char* key);

void RegisterMlflowExperimentRoutes(Router& router, ApiContext& ctx);
void RegisterMlflowRunRoutes(Router& router, ApiContext& ctx);
void RegisterMlflowArtifactRoutes(Router& router, ApiContext& ctx);

}  // namespace mlcost::api

#endif  // MLCOST_API_MLFLOW_ROUTES_H_
