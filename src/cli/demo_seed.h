// The sample data `mlcost demo` puts into an empty data directory, written through the HTTP API
// like any client would: two experiments ("demo-image-classifier" with three p3.2xlarge runs:
// on-demand finished, spot finished, on-demand still running; "demo-llm-finetune" with one
// 8-GPU p4d.24xlarge run) with params, metric histories and mlcost.* resource tags, plus the
// teams, users and projects they are attributed to (/api/v1, skipped with a warning where the
// server has no such routes).
#ifndef MLCOST_CLI_DEMO_SEED_H_
#define MLCOST_CLI_DEMO_SEED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cli/api_client.h"
#include "mlcost/status.h"

namespace mlcost::cli {

inline constexpr char kDemoExperimentPrefix[] = "demo-";

struct DemoSeedResult {
  // False when the server already had experiments named "demo-*" (active or deleted): nothing
  // was written.
  bool seeded = false;
  int experiments = 0;
  int runs = 0;
  // A demo run for the printed examples, preferably a RUNNING one; "" when there is none.
  std::string example_run_id;
  // True when the server answers /api/v1 (runs show prints live cost).
  bool has_v1 = false;
  // Non-fatal problems (e.g. /api/v1/teams missing), one line each.
  std::vector<std::string> warnings;
};

// Seeds unless demo experiments exist, with run times relative to `now_ms` (ms since the epoch).
// Errors are the ApiClient's for the experiment and run writes (those are required); teams,
// users and projects only add warnings.
Result<DemoSeedResult> SeedDemo(ApiClient& client, int64_t now_ms);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_DEMO_SEED_H_
