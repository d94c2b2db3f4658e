// Adapts a function "arguments in, JSON or Status out" to a Handler: parses the arguments
// (POST body or GET query), runs the function, and renders the result or the error.
#ifndef MLCOST_API_JSON_HANDLER_H_
#define MLCOST_API_JSON_HANDLER_H_

#include <functional>

#include <nlohmann/json.hpp>

#include "api/api_types.h"
#include "api/request_args.h"
#include "mlcost/status.h"

namespace mlcost::api {

using JsonFn = std::function<Result<nlohmann::json>(const ApiRequest&, const RequestArgs&)>;

// `success_status` is the HTTP status of a successful answer (200, or 201 for creations).
Handler JsonHandler(JsonFn fn, int success_status = 200);

}  // namespace mlcost::api

#endif  // MLCOST_API_JSON_HANDLER_H_
