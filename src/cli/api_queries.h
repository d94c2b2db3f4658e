// The reads the CLI's commands make, each through /api/v1 and, where the server has no /api/v1
// route yet (IsMissingEndpoint), through the MLflow routes with the answer converted to the
// /api/v1 shapes (docs/api.md), so the formatting code sees one shape.
#ifndef MLCOST_CLI_API_QUERIES_H_
#define MLCOST_CLI_API_QUERIES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/api_client.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// What a list call got: the server's JSON as it came (what --json prints), the items in the
// /api/v1 shape, and the token of the next page ("" at the end).
struct Listing {
  nlohmann::json raw;
  std::vector<nlohmann::json> items;
  std::string next_page_token;
};

struct ExperimentQuery {
  std::string view = "active";  // active | deleted | all
  std::string filter;           // MLflow syntax, e.g. "name LIKE 'demo-%'"
  int64_t max_results = 1000;
  std::string page_token;
};

struct RunQuery {
  std::vector<std::string> experiment_ids;  // must not be empty
  std::string filter;
  std::vector<std::string> order_by;
  std::string view = "active";
  int64_t max_results = 100;
  std::string page_token;
};

// Errors are the ApiClient's (unreachable server, the server's 4xx/5xx).
Result<Listing> ListExperiments(ApiClient& client, const ExperimentQuery& query);
Result<Listing> ListRuns(ApiClient& client, const RunQuery& query);

// One run: `raw` is the server's JSON, `item` the /api/v1 R. NotFound for an unknown id.
struct Fetched {
  nlohmann::json raw;
  nlohmann::json item;
};
Result<Fetched> GetRun(ApiClient& client, const std::string& run_id);

// An experiment id for `id_or_name`: all digits is an id, taken as is; anything else is looked
// up by name (NotFound naming it).
Result<std::string> ResolveExperimentId(ApiClient& client, const std::string& id_or_name);

// The ids of every experiment in `view`, following page tokens.
Result<std::vector<std::string>> AllExperimentIds(ApiClient& client, const std::string& view);

// object[key], or null when absent or when `object` is not an object. Never throws.
nlohmann::json Field(const nlohmann::json& object, const char* key);
// object[key] as text: a string as is, another non-null value as its JSON text, "" when absent,
// null or when `object` is not an object. Never throws.
std::string JsonString(const nlohmann::json& object, const char* key);

// MLflow's JSON converted to the /api/v1 shapes. Times become ISO 8601 UTC strings; a run gets
// cost null and a cost_reason saying the server has no /api/v1.
nlohmann::json ExperimentFromMlflow(const nlohmann::json& experiment);
nlohmann::json RunFromMlflow(const nlohmann::json& run);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_API_QUERIES_H_
