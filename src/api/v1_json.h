// The /api/v1 wire form of mlcost's records (docs/api.md): times as ISO 8601 UTC strings, money
// as decimal strings (never JSON numbers, never through a double), tags and params as objects.
#ifndef MLCOST_API_V1_JSON_H_
#define MLCOST_API_V1_JSON_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "api/v1_attribution.h"
#include "mlcost/records.h"
#include "pricing/run_cost.h"

namespace mlcost::api::v1 {

// E = {"id","name","artifact_location","lifecycle_stage","creation_time","last_update_time","tags":{}}
nlohmann::json ExperimentJson(const Experiment& e);

// T = {"name","description","creation_time"}; U = {"name","team"|null,"email","creation_time"};
// P = {"name","team"|null,"description","creation_time"}.
nlohmann::json TeamJson(const Team& t);
nlohmann::json UserJson(const User& u);
nlohmann::json ProjectJson(const Project& p);

// {"value","step","timestamp"}: value a number or "NaN"/"Infinity"/"-Infinity"; timestamp in
// milliseconds since the epoch, as metrics are logged.
nlohmann::json MetricPointJson(const Metric& m);

// True for the terminal statuses FINISHED, FAILED and KILLED.
bool IsFinalStatus(std::string_view status);

// The time a run's cost is evaluated at, in ms: `now_ms` while it runs; once final, the latest of
// its end_time and its attempts' ends (else `now_ms`), so a final cost stays fixed however the
// clock moves.
int64_t CostTimeMs(const RunInfo& info, const std::vector<RunAttempt>& attempts, int64_t now_ms);

// A run with everything /api/v1 shows about it, evaluated at one instant.
struct EvaluatedRun {
  std::vector<RunAttempt> attempts;
  pricing::RunCost cost;
  bool final = false;
  int64_t as_of_ms = 0;
  Attribution attribution;
};

// Loads the attempts of `run`, prices it at ctx.clock.Now() and resolves its attribution.
// Internal when the store cannot be read; an unknown price is not an error (cost.known false).
Result<EvaluatedRun> EvaluateRun(ApiContext& ctx, AttributionResolver& resolver, const Run& run);

// C = {"hourly_price","currency","price_source","pricing","note","billable_seconds",
//      "cost_so_far","final","as_of"}, or null when the price is unknown.
nlohmann::json CostJson(const EvaluatedRun& e);

// R (docs/api.md): info, params, tags, latest metrics, resources, attribution, attempts, and
// "cost": C | null with "cost_reason" ("" when the cost is known).
nlohmann::json RunJson(const Run& run, const EvaluatedRun& e);

// EvaluateRun + RunJson.
Result<nlohmann::json> LoadRunJson(ApiContext& ctx, AttributionResolver& resolver, const Run& run);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_JSON_H_
