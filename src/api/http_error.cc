#include "api/http_error.h"

#include <nlohmann/json.hpp>

namespace mlcost::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 400;
    case StatusCode::kConflict: return 409;
    case StatusCode::kTooLarge: return 413;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string_view ErrorCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "INVALID_PARAMETER_VALUE";
    case StatusCode::kNotFound: return "RESOURCE_DOES_NOT_EXIST";
    case StatusCode::kAlreadyExists: return "RESOURCE_ALREADY_EXISTS";
    case StatusCode::kConflict: return "RESOURCE_CONFLICT";
    case StatusCode::kTooLarge: return "REQUEST_TOO_LARGE";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
    case StatusCode::kUnavailable: return "TEMPORARILY_UNAVAILABLE";
    case StatusCode::kInternal: return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

ApiResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message) {
  nlohmann::json body = {{"error_code", error_code}, {"message", message}};
  ApiResponse response;
  response.status = http_status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse ErrorResponse(const Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), ErrorCodeFor(status.code()), status.message());
}

}  // namespace mlcost::api
