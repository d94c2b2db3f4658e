// The HTTP-independent request and response every handler sees, so handlers and their argument
// parsing are unit-tested without a socket. The server adapts cpp-httplib to these.
#ifndef MLCOST_API_API_TYPES_H_
#define MLCOST_API_API_TYPES_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mlcost::api {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, percent-decoded
  std::multimap<std::string, std::string> query;
  std::string body;
  std::string content_type;
  std::vector<std::string> captures;  // regex groups of the matched route pattern
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body = "{}";
  // When set, the body is streamed from this file instead (artifact downloads).
  std::string file_path;
};

using Handler = std::function<ApiResponse(const ApiRequest&)>;

}  // namespace mlcost::api

#endif  // MLCOST_API_API_TYPES_H_
