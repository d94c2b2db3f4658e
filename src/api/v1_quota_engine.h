// QuotaEngine: quotas (src/quota) applied to live runs and the bill (docs/quotas.md).
//   use     = the live cost (or GPU-hours) of the runs attributed to the scope, clipped to the
//             period, + the scope's FOCUS bill lines in the period whose resource is not tracked
//             by any run (a tracked resource counts once, through its run);
//   block   = CheckRunCreation refuses a new run of an exhausted scope (403);
//   stop    = StopReason tells a running run of an exhausted scope to stop;
//   alert   = EvaluateAlerts posts Slack-format webhooks once per threshold per period.
// Reads, per quota, only the runs of its scope that overlap its period (v1_quota_runs.h): create
// one per request or evaluation. Not thread-safe; EvaluateAlerts serialises itself across engines
// of one process.
#ifndef MLCOST_API_V1_QUOTA_ENGINE_H_
#define MLCOST_API_V1_QUOTA_ENGINE_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/api_context.h"
#include "api/v1_attribution.h"
#include "mlcost/records.h"
#include "mlcost/status.h"
#include "quota/quota.h"
#include "quota/quota_status.h"
#include "quota/webhook_sender.h"
#include "tracking/tracking_service.h"

namespace mlcost::api::v1 {

// How an engine finds the runs a quota counts. kFiltered (the default) selects in SQL the scope's
// runs with an attempt overlapping the period (SelectQuotaRuns); kFullScan loads every active run
// once through SearchRuns and filters in C++ — the original path, slower by the store's size,
// kept as the reference the filtered path is tested against (the answers must be identical).
enum class RunSelection { kFiltered, kFullScan };

class QuotaEngine {
 public:
  // `ctx` must outlive the engine; the engine evaluates at ctx.clock.Now() taken here.
  explicit QuotaEngine(ApiContext& ctx, RunSelection selection = RunSelection::kFiltered);

  // The currencies a money quota may be in: the catalog's (USD) and every billing_currency of
  // the bill.
  Result<std::set<std::string>> KnownCurrencies();

  // Where `quota` stands now. Internal on a store failure.
  Result<quota::QuotaStatus> StatusOf(const quota::Quota& quota);

  // PermissionDenied naming the quota, its use and its limit when a quota with action block
  // applies to the run `request` would create, attributed to `who` (AttributionOf), and is
  // exhausted — of several, the one most over its limit; the refusal is audited (run_blocked).
  // OK otherwise.
  Status CheckRunCreation(const tracking::CreateRunRequest& request, const Attribution& who);

  // For a RUNNING run: a reason naming the quota when a quota with action stop applies to it and
  // is exhausted (audited once per quota and run as run_stop); empty otherwise.
  Result<std::optional<std::string>> StopReason(const Run& run);

  // Sends the due, not yet sent alerts of every quota with action alert (only those applying to
  // `only` when given) through `sender`: a success is marked sent for the period and audited
  // alert_sent; a failure is audited alert_failed and retried on the next evaluation. Returns the
  // number sent; errors only when the store fails.
  Result<int> EvaluateAlerts(quota::WebhookSender& sender, const std::optional<Attribution>& only = std::nullopt);

  // The attribution a run created by `request` would have.
  Result<Attribution> AttributionOf(const tracking::CreateRunRequest& request);

  // Drops what the engine read once from the store (the runs, the resources runs name) and takes
  // the time again, so the next answer sees a change made since — e.g. a run just created, which
  // may name a resource and starts after the engine was made.
  void ForgetStoreReads();

 private:
  struct RunEntry {
    Run run;
    Attribution attribution;
    std::vector<RunAttempt> attempts;
  };

  // kFullScan: every active run, once per engine, with the tracked resources.
  Status LoadRuns();
  // kFiltered: the runs that can count for `q` in `window`.
  Result<std::vector<RunEntry>> SelectRuns(const quota::Quota& q, const quota::PeriodWindow& window);
  // The resources runs name (the double counting rule), once per engine.
  Status LoadTrackedResources();
  Result<quota::QuotaUse> UseOf(const quota::Quota& q, const quota::PeriodWindow& window);
  Result<Decimal> BilledUse(const quota::Quota& q, const quota::PeriodWindow& window, int64_t& lines);
  Result<std::vector<quota::Quota>> QuotasWith(const std::string& action, const Attribution& who);

  ApiContext& ctx_;
  Micros now_;
  RunSelection selection_;
  AttributionResolver resolver_;
  bool loaded_ = false;
  std::vector<RunEntry> runs_;
  bool tracked_loaded_ = false;
  std::set<std::string> tracked_resources_;
};

// True when `q` applies to a run attributed to `who`.
bool QuotaApplies(const quota::Quota& q, const Attribution& who);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_QUOTA_ENGINE_H_
