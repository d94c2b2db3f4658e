// The runs a quota check reads, selected in SQL (docs/quotas.md, "Use", "What a check reads"):
// instead of loading every active run with its params, metrics and tags, one query returns only
// the runs of the quota's scope that have an attempt overlapping the period, with the columns and
// tags that attribution and pricing read, and all their attempts.
#ifndef MLCOST_API_V1_QUOTA_RUNS_H_
#define MLCOST_API_V1_QUOTA_RUNS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::api::v1 {

// Which runs SelectQuotaRuns returns: those attributed to `scope` / `name` (as QuotaApplies
// decides; `name` is ignored for org) with an attempt that may overlap [start_ms, end_ms)
// (absent = unbounded).
struct QuotaRunFilter {
  std::string scope;
  std::string name;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
};

// A run as a quota check needs it. `run.info` holds run_id, experiment_id, user_id, status and
// end_time_ms only; `run.tags` only the tags attribution and pricing read (mlcost.team,
// mlcost.project, mlcost.instance_type, .provider, .region, .pricing, .gpu_count, .accelerator);
// `attempts` every attempt of the run, ordered by attempt number.
struct QuotaRun {
  Run run;
  std::vector<RunAttempt> attempts;
};

// The active runs of existing experiments (the set SearchRuns over every experiment returns)
// matching `filter`, ordered by run id: a superset of the runs whose attempts, clipped to the
// period, are non-empty — an attempt counts here when it starts before the period end and has not
// ended at or before the period start, so an open attempt of an ended run, which ends at the
// run's end, must still be clipped by the caller. Runs without attempts are left out (they never
// count). Internal on a store failure.
Result<std::vector<QuotaRun>> SelectQuotaRuns(store::Connection& conn, const QuotaRunFilter& filter);

// The resource ids the active runs of existing experiments name (per run: tag mlcost.resource_id,
// else mlcost.instance_id, empty values ignored) — the bill lines a quota leaves to the runs.
// Internal on a store failure.
Result<std::set<std::string>> TrackedResourceIds(store::Connection& conn);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_QUOTA_RUNS_H_
