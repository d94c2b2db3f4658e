// Router: maps (method, path) to a Handler. Exact paths are a hash lookup (the hot MLflow
// routes); patterns with regex groups (artifacts, /api/v1/runs/{id}) are tried in order after.
#ifndef MLCOST_API_ROUTER_H_
#define MLCOST_API_ROUTER_H_

#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/api_types.h"

namespace mlcost::api {

// Not thread-safe to modify; Dispatch() is thread-safe once all routes are added.
class Router {
 public:
  // Adds an exact path.
  void Add(const std::string& method, const std::string& path, Handler handler);
  // Adds an ECMAScript regex matched against the whole path; groups go to request.captures.
  void AddPattern(const std::string& method, const std::string& pattern, Handler handler);

  // Runs the matching handler; 404 ENDPOINT_NOT_FOUND when no path matches, 405 when the path
  // exists for other methods.
  ApiResponse Dispatch(ApiRequest& request) const;

  // Every registered method + path/pattern, for the API docs check.
  std::vector<std::string> Describe() const;

 private:
  struct PatternRoute {
    std::string method;
    std::string pattern;
    std::regex regex;
    Handler handler;
  };
  std::unordered_map<std::string, Handler> exact_;  // key: method + " " + path
  std::unordered_map<std::string, std::vector<std::string>> methods_by_path_;
  std::vector<PatternRoute> patterns_;
};

}  // namespace mlcost::api

#endif  // MLCOST_API_ROUTER_H_
