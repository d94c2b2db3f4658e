// The one place where a Status becomes an HTTP status and an error body:
// {"error_code": "...", "message": "..."}, with MLflow's error-code names so MLflow clients
// (which test error_code, e.g. RESOURCE_DOES_NOT_EXIST in get_experiment_by_name) behave.
#ifndef MLCOST_API_HTTP_ERROR_H_
#define MLCOST_API_HTTP_ERROR_H_

#include <string_view>

#include "api/api_types.h"
#include "mlcost/status.h"

namespace mlcost::api {

// INVALID_ARGUMENT -> INVALID_PARAMETER_VALUE 400; NOT_FOUND -> RESOURCE_DOES_NOT_EXIST 404;
// ALREADY_EXISTS -> RESOURCE_ALREADY_EXISTS 400 (MLflow's table); CONFLICT -> RESOURCE_CONFLICT 409;
// TOO_LARGE -> REQUEST_TOO_LARGE 413; RESOURCE_EXHAUSTED -> RESOURCE_EXHAUSTED 429;
// PERMISSION_DENIED 403; UNAUTHENTICATED 401; UNAVAILABLE -> TEMPORARILY_UNAVAILABLE 503;
// INTERNAL -> INTERNAL_ERROR 500.
int HttpStatusFor(StatusCode code);
std::string_view ErrorCodeFor(StatusCode code);

// The JSON error response for a non-OK status.
ApiResponse ErrorResponse(const Status& status);
// An error response with an explicit MLflow error code (e.g. ENDPOINT_NOT_FOUND).
ApiResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message);

}  // namespace mlcost::api

#endif  // MLCOST_API_HTTP_ERROR_H_
