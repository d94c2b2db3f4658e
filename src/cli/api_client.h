// ApiClient: the CLI's HTTP client for an mlcost server (/api/v1, /api/2.0/mlflow, /healthz).
// Every command talks to the server through it, whether the server is remote (--server) or
// started in this process on a data directory (--data-dir).
#ifndef MLCOST_CLI_API_CLIENT_H_
#define MLCOST_CLI_API_CLIENT_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlcost/status.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace mlcost::cli {

// Query parameters in order; a key may repeat (experiment_id=1&experiment_id=2).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Returns InvalidArgument unless `url` is "http://HOST[:PORT]" or "https://HOST[:PORT]" with an
// optional trailing "/" and nothing after it.
Status ValidateServerUrl(std::string_view url);

// Turns a non-2xx answer into a Status: the server's {"error_code","message"} gives the code
// (the inverse of api/http_error.cc, falling back to the HTTP status) and the message verbatim.
// A body that is not such an object gives a message naming `url`, the status and the body's start.
// ENDPOINT_NOT_FOUND becomes a NotFound that IsMissingEndpoint() recognises.
Status StatusFromErrorResponse(const std::string& url, int http_status, const std::string& body);

// True for the Status an ApiClient returns when the server has no such route (an older server;
// /api/v1 routes that have not landed yet), so a caller can fall back to another route.
bool IsMissingEndpoint(const Status& status);

class ApiClient {
 public:
  // `base_url` must pass ValidateServerUrl (a trailing "/" is dropped). Connects lazily and keeps
  // the connection alive between calls. `connect_timeout_s` bounds each connection attempt; a
  // request whose answer takes over 120 s fails with Unavailable.
  explicit ApiClient(std::string base_url, int connect_timeout_s = 5);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Each call returns the parsed JSON body of a 2xx answer ({} for an empty body), or:
  // Unavailable("cannot reach mlcost server at URL: ...; start it with `mlcost serve` or pass
  // --data-dir") when the connection fails; Unavailable naming the request when the connection
  // breaks mid-request; the server's error (StatusFromErrorResponse) for a non-2xx answer;
  // Internal when a 2xx body is not JSON. `path` starts with "/". Not thread-safe.
  Result<nlohmann::json> Get(const std::string& path, const QueryParams& query = {});
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);
  // How long to wait for an answer (default 120 s); long work such as an ingest raises it.
  void SetReadTimeout(int seconds);
  Result<nlohmann::json> Put(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Patch(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Delete(const std::string& path);

  // "http://HOST:PORT", without a trailing "/".
  const std::string& base_url() const { return base_url_; }

 private:
  Result<nlohmann::json> Send(const char* method, const std::string& path, const std::string* body);

  std::string base_url_;
  std::unique_ptr<httplib::Client> http_;
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_API_CLIENT_H_
