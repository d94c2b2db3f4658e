#include "cli/api_client.h"

#include <httplib.h>

#include <regex>

#include "api/http_error.h"

namespace mlcost::cli {
namespace {

constexpr std::string_view kMissingEndpointPrefix = "no such endpoint on this server: ";
constexpr StatusCode kErrorCodes[] = {StatusCode::kInvalidArgument,  StatusCode::kNotFound,
                                      StatusCode::kAlreadyExists,    StatusCode::kConflict,
                                      StatusCode::kTooLarge,         StatusCode::kResourceExhausted,
                                      StatusCode::kPermissionDenied, StatusCode::kUnauthenticated,
                                      StatusCode::kUnavailable,      StatusCode::kInternal};

std::string StripSlash(std::string url) {
  if (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The inverse of api::HttpStatusFor; the first code in enum order wins (400 -> InvalidArgument).
StatusCode CodeForHttpStatus(int http_status) {
  for (StatusCode code : kErrorCodes) {
    if (api::HttpStatusFor(code) == http_status) return code;
  }
  return http_status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument;
}

std::string Truncate(const std::string& text, size_t n) {
  return text.size() <= n ? text : text.substr(0, n) + "...";
}

bool IsConnectError(httplib::Error error) {
  return error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout ||
         error == httplib::Error::BindIPAddress || error == httplib::Error::SSLConnection;
}

}  // namespace

Status ValidateServerUrl(std::string_view url) {
  static const std::regex kUrl(R"(https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?/?)");
  if (!std::regex_match(url.begin(), url.end(), kUrl)) {
    return InvalidArgument("'" + std::string(url) +
                           "' is not a server URL: expected http://HOST[:PORT], e.g. http://127.0.0.1:8080");
  }
  return Status::Ok();
}

Status StatusFromErrorResponse(const std::string& url, int http_status, const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("message") || !parsed["message"].is_string()) {
    return Status(
        CodeForHttpStatus(http_status),
        "server at " + url + " answered HTTP " + std::to_string(http_status) + ": " + Truncate(body, 200));
  }
  std::string message = parsed["message"].get<std::string>();
  std::string error_code = parsed.value("error_code", "");
  if (error_code == "ENDPOINT_NOT_FOUND") return NotFound(std::string(kMissingEndpointPrefix) + message);
  for (StatusCode code : kErrorCodes) {
    if (api::ErrorCodeFor(code) == error_code) return Status(code, message);
  }
  return Status(CodeForHttpStatus(http_status), message);
}

bool IsMissingEndpoint(const Status& status) {
  return status.code() == StatusCode::kNotFound && status.message().starts_with(kMissingEndpointPrefix);
}

ApiClient::ApiClient(std::string base_url, int connect_timeout_s)
    : base_url_(StripSlash(std::move(base_url))), http_(std::make_unique<httplib::Client>(base_url_)) {
  http_->set_connection_timeout(connect_timeout_s, 0);
  http_->set_read_timeout(120, 0);
  http_->set_write_timeout(60, 0);
  http_->set_keep_alive(true);
}

ApiClient::~ApiClient() = default;

Result<nlohmann::json> ApiClient::Get(const std::string& path, const QueryParams& query) {
  httplib::Params params;
  for (const auto& [key, value] : query) params.emplace(key, value);
  return Send("GET", params.empty() ? path : httplib::append_query_params(path, params), nullptr);
}

void ApiClient::SetReadTimeout(int seconds) { http_->set_read_timeout(seconds, 0); }

Result<nlohmann::json> ApiClient::Post(const std::string& path, const nlohmann::json& body) {
  std::string text = body.dump();
  return Send("POST", path, &text);
}

Result<nlohmann::json> ApiClient::Put(const std::string& path, const nlohmann::json& body) {
  std::string text = body.dump();
  return Send("PUT", path, &text);
}

Result<nlohmann::json> ApiClient::Patch(const std::string& path, const nlohmann::json& body) {
  std::string text = body.dump();
  return Send("PATCH", path, &text);
}

Result<nlohmann::json> ApiClient::Delete(const std::string& path) { return Send("DELETE", path, nullptr); }

Result<nlohmann::json> ApiClient::Send(const char* method, const std::string& path, const std::string* body) {
  const std::string kJson = "application/json";
  httplib::Result res = [&] {
    std::string m = method;
    if (m == "GET") return http_->Get(path);
    if (m == "POST") return http_->Post(path, *body, kJson);
    if (m == "PUT") return http_->Put(path, *body, kJson);
    if (m == "PATCH") return http_->Patch(path, *body, kJson);
    return http_->Delete(path);
  }();
  if (!res) {
    httplib::Error error = res.error();
    std::string why = error == httplib::Error::Connection ? "could not connect" : httplib::to_string(error);
    if (IsConnectError(error)) {
      return Unavailable("cannot reach mlcost server at " + base_url_ + ": " + why +
                         "; start it with `mlcost serve` or pass --data-dir");
    }
    return Unavailable("lost the connection to mlcost server at " + base_url_ + " during " + method + " " +
                       path + ": " + why);
  }
  if (res->status < 200 || res->status >= 300) {
    return StatusFromErrorResponse(base_url_, res->status, res->body);
  }
  if (res->body.empty()) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Internal("server at " + base_url_ + " answered " + method + " " + path +
                    " with invalid JSON: " + Truncate(res->body, 200));
  }
  return parsed;
}

}  // namespace mlcost::cli
