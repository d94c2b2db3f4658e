#include "api/json_handler.h"

#include "api/http_error.h"

namespace mlcost::api {

Handler JsonHandler(JsonFn fn, int success_status) {
  return [fn = std::move(fn), success_status](const ApiRequest& request) -> ApiResponse {
    auto args = RequestArgs::From(request);
    if (!args.ok()) return ErrorResponse(args.status());
    Result<nlohmann::json> result = Internal("handler did not run");
    try {
      result = fn(request, *args);
    } catch (const std::exception& e) {
      // Nothing should throw past the adapters; if something does, answer 500 and keep serving.
      result = Internal(std::string("unexpected error: ") + e.what());
    }
    if (!result.ok()) return ErrorResponse(result.status());
    ApiResponse response;
    response.status = success_status;
    response.body = Dump(*result);
    return response;
  };
}

}  // namespace mlcost::api
