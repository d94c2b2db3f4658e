#include "api/router.h"

#include "api/http_error.h"

namespace mlcost::api {

void Router::Add(const std::string& method, const std::string& path, Handler handler) {
  exact_[method + " " + path] = std::move(handler);
  methods_by_path_[path].push_back(method);
}

void Router::AddPattern(const std::string& method, const std::string& pattern, Handler handler) {
  patterns_.push_back({method, pattern, std::regex(pattern), std::move(handler)});
}

ApiResponse Router::Dispatch(ApiRequest& request) const {
  auto it = exact_.find(request.method + " " + request.path);
  if (it != exact_.end()) return it->second(request);
  bool path_known = methods_by_path_.count(request.path) > 0;
  for (const PatternRoute& route : patterns_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.regex)) continue;
    if (route.method != request.method) {
      path_known = true;
      continue;
    }
    request.captures.clear();
    for (size_t i = 1; i < match.size(); ++i) request.captures.push_back(match[i].str());
    return route.handler(request);
  }
  if (path_known) {
    return ErrorResponse(405, "ENDPOINT_NOT_FOUND",
                         "Method " + request.method + " is not allowed for " + request.path);
  }
  return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No API endpoint " + request.method + " " + request.path);
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  for (const auto& [key, handler] : exact_) out.push_back(key);
  for (const PatternRoute& r : patterns_) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace mlcost::api
