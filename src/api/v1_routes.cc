// Placeholder until /api/v1 lands: only /healthz.
#include "api/v1_routes.h"

#include "api/json_handler.h"

namespace mlcost::api {

void RegisterV1Routes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/healthz", JsonHandler([](const ApiRequest&, const RequestArgs&) -> Result<nlohmann::json> {
    return nlohmann::json{{"status", "ok"}};
  }));
}

}  // namespace mlcost::api
