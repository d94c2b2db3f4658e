#include "api/v1_quota_engine.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

#include "api/v1_common.h"
#include "api/v1_json.h"
#include "api/v1_quota_runs.h"
#include "explorer/explorer.h"
#include "explorer/run_billing.h"
#include "pricing/run_cost.h"
#include "quota/quota_store.h"
#include "quota/slack_payload.h"
#include "tracking/read_pool.h"

namespace mlcost::api::v1 {
namespace {

constexpr int64_t kRunPage = 1000;

std::mutex& AlertMutex() {
  static std::mutex* mu = new std::mutex();
  return *mu;
}

std::string ScopeText(const quota::Quota& q) {
  return q.scope == quota::kScopeOrg ? std::string("the organisation") : q.scope + " " + q.scope_name;
}

std::optional<int64_t> MsOf(const std::optional<Micros>& t) {
  return t ? std::optional<int64_t>(*t / kMicrosPerMilli) : std::nullopt;
}

// Every run's attempts in one query (GetAttempts per run costs a round trip each: 1,000 runs took
// about a second). Same columns and order as tracking's LoadAttempts.
Result<std::map<std::string, std::vector<RunAttempt>>> AllAttempts(tracking::TrackingService& tracking) {
  ASSIGN_OR_RETURN(auto conn, tracking.reads().Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Run("SELECT run_id, attempt, epoch_ms(start_time), epoch_ms(end_time), "
                                        "coalesce(end_cause, '') FROM run_attempts ORDER BY run_id, attempt"));
  std::map<std::string, std::vector<RunAttempt>> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    RunAttempt a;
    a.attempt = static_cast<int>(rows.GetInt64(1, r));
    a.start_time_ms = rows.GetInt64(2, r);
    if (!rows.IsNull(3, r)) a.end_time_ms = rows.GetInt64(3, r);
    a.end_cause = rows.GetString(4, r);
    out[rows.GetString(0, r)].push_back(a);
  }
  return out;
}

}  // namespace

bool QuotaApplies(const quota::Quota& q, const Attribution& who) {
  if (q.scope == quota::kScopeOrg) return true;
  if (q.scope == quota::kScopeUser) return who.user == q.scope_name;
  if (q.scope == quota::kScopeTeam) return who.team == q.scope_name;
  if (q.scope == quota::kScopeProject) return who.project == q.scope_name;
  return false;
}

QuotaEngine::QuotaEngine(ApiContext& ctx, RunSelection selection)
    : ctx_(ctx), now_(ctx.clock.Now()), selection_(selection), resolver_(ctx.tracking) {}

Result<std::set<std::string>> QuotaEngine::KnownCurrencies() {
  std::set<std::string> out = {"USD"};  // the price catalog's
  ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(auto r, conn->Run("SELECT DISTINCT billing_currency FROM costs WHERE billing_currency IS NOT NULL"));
  for (uint64_t i = 0; i < r.RowCount(); ++i) out.insert(r.GetString(0, i));
  return out;
}

Status QuotaEngine::LoadRuns() {
  if (loaded_) return Status::Ok();
  ASSIGN_OR_RETURN(auto attempts, AllAttempts(ctx_.tracking));
  ASSIGN_OR_RETURN(std::vector<Experiment> experiments, AllExperiments(ctx_.tracking));
  tracking::SearchRunsRequest req;
  for (const Experiment& e : experiments) {
    resolver_.AddExperiment(e);
    req.experiment_ids.push_back(e.experiment_id);
  }
  req.view = tracking::ViewType::kActiveOnly;
  req.max_results = kRunPage;
  while (!req.experiment_ids.empty()) {
    ASSIGN_OR_RETURN(auto page, ctx_.tracking.SearchRuns(req));
    for (Run& run : page.runs) {
      RunEntry entry;
      if (auto it = attempts.find(run.info.run_id); it != attempts.end()) entry.attempts = std::move(it->second);
      ASSIGN_OR_RETURN(entry.attribution, resolver_.Resolve(run));
      for (const char* key : explorer::kResourceIdTags) {
        if (const std::string* id = FindKey(run.tags, key); id != nullptr && !id->empty()) {
          tracked_resources_.insert(*id);
          break;
        }
      }
      entry.run = std::move(run);
      runs_.push_back(std::move(entry));
    }
    if (page.next_page_token.empty()) break;
    req.page_token = page.next_page_token;
  }
  loaded_ = true;
  tracked_loaded_ = true;
  return Status::Ok();
}

Result<std::vector<QuotaEngine::RunEntry>> QuotaEngine::SelectRuns(const quota::Quota& q,
                                                                   const quota::PeriodWindow& window) {
  QuotaRunFilter filter;
  filter.scope = q.scope;
  filter.name = q.scope_name;
  filter.start_ms = MsOf(window.start);
  filter.end_ms = MsOf(window.end);
  std::vector<QuotaRun> selected;
  {
    ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
    ASSIGN_OR_RETURN(selected, SelectQuotaRuns(*conn, filter));
  }
  std::vector<RunEntry> out;
  out.reserve(selected.size());
  for (QuotaRun& s : selected) {
    RunEntry entry;
    ASSIGN_OR_RETURN(entry.attribution, resolver_.Resolve(s.run));
    entry.run = std::move(s.run);
    entry.attempts = std::move(s.attempts);
    out.push_back(std::move(entry));
  }
  return out;
}

Status QuotaEngine::LoadTrackedResources() {
  if (tracked_loaded_) return Status::Ok();
  ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(tracked_resources_, TrackedResourceIds(*conn));
  tracked_loaded_ = true;
  return Status::Ok();
}

Result<Decimal> QuotaEngine::BilledUse(const quota::Quota& q, const quota::PeriodWindow& window, int64_t& lines) {
  explorer::Explorer ex(ctx_.tracking.reads(), ctx_.clock);
  explorer::CostQueryText text;
  text.group_by = {"resource_id"};
  text.granularity = "none";
  if (q.scope != quota::kScopeOrg) text.filters = {q.scope + ":" + q.scope_name};
  if (window.start) text.since = FormatIso8601(*window.start);
  if (window.end) text.until = FormatIso8601(*window.end);
  ASSIGN_OR_RETURN(explorer::CostQuery query, ex.Parse(text));
  ASSIGN_OR_RETURN(explorer::CostReport report, ex.Costs(query));
  Decimal sum;
  if (!report.rows.empty()) RETURN_IF_ERROR(LoadTrackedResources());
  for (const explorer::CostRow& row : report.rows) {
    if (row.currency != q.currency) continue;
    if (!row.keys.empty() && row.keys[0] && tracked_resources_.count(*row.keys[0])) continue;
    sum += row.cost;
    lines += row.lines;
  }
  return sum;
}

Result<quota::QuotaUse> QuotaEngine::UseOf(const quota::Quota& q, const quota::PeriodWindow& window) {
  std::vector<RunEntry> selected;
  if (selection_ == RunSelection::kFullScan) {
    RETURN_IF_ERROR(LoadRuns());
  } else {
    ASSIGN_OR_RETURN(selected, SelectRuns(q, window));
  }
  const std::vector<RunEntry>& runs = selection_ == RunSelection::kFullScan ? runs_ : selected;
  quota::QuotaUse use;
  const int64_t now_ms = now_ / kMicrosPerMilli;
  const std::optional<int64_t> start_ms = MsOf(window.start);
  const std::optional<int64_t> end_ms = MsOf(window.end);
  for (const RunEntry& e : runs) {
    if (!QuotaApplies(q, e.attribution)) continue;
    const int64_t run_end_ms = CostTimeMs(e.run.info, e.attempts, now_ms);
    std::vector<RunAttempt> clipped;
    for (RunAttempt a : e.attempts) {
      int64_t end = a.end_time_ms.value_or(run_end_ms);
      if (start_ms) a.start_time_ms = std::max(a.start_time_ms, *start_ms);
      if (end_ms) end = std::min(end, *end_ms);
      if (end <= a.start_time_ms) continue;
      a.end_time_ms = end;
      clipped.push_back(a);
    }
    if (clipped.empty()) continue;
    ++use.runs_counted;
    pricing::RunCost cost = pricing::ComputeRunCost(ctx_.prices, e.run.tags, clipped, now_ms);
    if (q.unit == quota::kUnitMoney) {
      if (!cost.known || cost.quote.currency != q.currency) {
        ++use.runs_unpriced;
        continue;
      }
      use.runs += cost.cost_so_far;
    } else {
      int64_t gpus = cost.known ? cost.quote.gpu_count : 0;
      if (!cost.known) {
        const std::string* tag = FindKey(e.run.tags, pricing::kTagGpuCount);
        if (tag != nullptr) gpus = std::strtoll(tag->c_str(), nullptr, 10);
      }
      use.runs += Decimal::FromInt(gpus * cost.billable_seconds).DivInt(3600);
    }
  }
  if (q.unit == quota::kUnitMoney) {
    ASSIGN_OR_RETURN(use.billed, BilledUse(q, window, use.billed_lines));
  }
  return use;
}

Result<quota::QuotaStatus> QuotaEngine::StatusOf(const quota::Quota& q) {
  ASSIGN_OR_RETURN(quota::PeriodWindow window, quota::PeriodAt(q.period, now_));
  ASSIGN_OR_RETURN(quota::QuotaUse use, UseOf(q, window));
  return quota::Judge(q, use, window, now_);
}

Result<std::vector<quota::Quota>> QuotaEngine::QuotasWith(const std::string& action, const Attribution& who) {
  ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(std::vector<quota::Quota> all, quota::QuotaStore::List(*conn));
  std::vector<quota::Quota> out;
  for (quota::Quota& q : all) {
    if (q.HasAction(action) && QuotaApplies(q, who)) out.push_back(std::move(q));
  }
  return out;
}

Result<Attribution> QuotaEngine::AttributionOf(const tracking::CreateRunRequest& request) {
  Run run;
  run.info.user_id = request.user_id;
  run.info.experiment_id = request.experiment_id;
  run.tags = request.tags;
  return resolver_.Resolve(run);
}

Status QuotaEngine::CheckRunCreation(const tracking::CreateRunRequest& request, const Attribution& who) {
  ASSIGN_OR_RETURN(std::vector<quota::Quota> quotas, QuotasWith(quota::kActionBlock, who));
  std::optional<quota::Quota> worst;
  std::optional<quota::QuotaStatus> worst_status;
  for (const quota::Quota& q : quotas) {
    ASSIGN_OR_RETURN(quota::QuotaStatus s, StatusOf(q));
    if (s.exhausted() && (!worst_status || s.fraction > worst_status->fraction)) {
      worst = q;
      worst_status = s;
    }
  }
  if (!worst) return Status::Ok();
  const quota::Quota& q = *worst;
  std::string message = q.Describe() + " is exhausted: " + ScopeText(q) + " has used " +
                        q.AmountText(worst_status->use.total()) + " of its " + q.LimitText() + " limit this " +
                        q.period + "; new runs are blocked" +
                        (worst_status->window.end ? " until " + FormatIso8601(*worst_status->window.end) : "") +
                        " (raise it with PUT /api/v1/quotas/" + std::to_string(q.quota_id) + ")";
  quota::AuditEntry audit;
  audit.at = now_;
  audit.quota_id = q.quota_id;
  audit.action = quota::kAuditRunBlocked;
  audit.detail = "run of user '" + who.user + "', team '" + who.team + "', project '" + who.project +
                 "' in experiment " + request.experiment_id + " refused: " + message;
  audit.use = worst_status->use.total();
  audit.limit = q.limit;
  audit.unit = q.unit;
  ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
  RETURN_IF_ERROR(quota::QuotaStore::Audit(*conn, audit));
  return Status(StatusCode::kPermissionDenied, message);
}

Result<std::optional<std::string>> QuotaEngine::StopReason(const Run& run) {
  if (run.info.status != "RUNNING") return std::optional<std::string>();
  ASSIGN_OR_RETURN(Attribution who, resolver_.Resolve(run));
  ASSIGN_OR_RETURN(std::vector<quota::Quota> quotas, QuotasWith(quota::kActionStop, who));
  for (const quota::Quota& q : quotas) {
    ASSIGN_OR_RETURN(quota::QuotaStatus s, StatusOf(q));
    if (!s.exhausted()) continue;
    std::string reason = "quota exhausted: " + q.Describe() + " for " + ScopeText(q) + " has used " +
                         q.AmountText(s.use.total()) + " of " + q.LimitText() + " this " + q.period;
    ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
    quota::AuditFilter mine;
    mine.quota_id = q.quota_id;
    mine.action = quota::kAuditRunStop;
    mine.run_id = run.info.run_id;
    mine.max_results = 1;
    ASSIGN_OR_RETURN(auto seen, quota::QuotaStore::ListAudit(*conn, mine));
    if (seen.empty()) {
      quota::AuditEntry audit;
      audit.at = now_;
      audit.quota_id = q.quota_id;
      audit.action = quota::kAuditRunStop;
      audit.run_id = run.info.run_id;
      audit.detail = "stop decided for run " + run.info.run_id + ": " + reason;
      audit.use = s.use.total();
      audit.limit = q.limit;
      audit.unit = q.unit;
      RETURN_IF_ERROR(quota::QuotaStore::Audit(*conn, audit));
    }
    return std::optional<std::string>(reason);
  }
  return std::optional<std::string>();
}

Result<int> QuotaEngine::EvaluateAlerts(quota::WebhookSender& sender, const std::optional<Attribution>& only) {
  std::vector<quota::Quota> quotas;
  {
    ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
    ASSIGN_OR_RETURN(std::vector<quota::Quota> all, quota::QuotaStore::List(*conn));
    for (quota::Quota& q : all) {
      if (!q.HasAction(quota::kActionAlert) || q.webhook_url.empty()) continue;
      if (only && !QuotaApplies(q, *only)) continue;
      quotas.push_back(std::move(q));
    }
  }
  if (quotas.empty()) return 0;  // without taking the lock: most run creations end here
  // A run creation never waits behind an evaluation in progress (its webhooks may take seconds):
  // that evaluation, or the evaluator's next pass, sends what is due.
  std::unique_lock<std::mutex> lock(AlertMutex(), std::defer_lock);
  if (only) {
    if (!lock.try_lock()) return 0;
  } else {
    lock.lock();
  }
  int sent = 0;
  for (const quota::Quota& q : quotas) {
    ASSIGN_OR_RETURN(quota::QuotaStatus s, StatusOf(q));
    const Micros period_key = s.window.start.value_or(0);
    for (const std::string& alert : quota::DueAlerts(q, s)) {
      ASSIGN_OR_RETURN(auto conn, ctx_.tracking.reads().Acquire());
      ASSIGN_OR_RETURN(bool already, quota::QuotaStore::AlertSent(*conn, q.quota_id, period_key, alert));
      if (already) continue;
      nlohmann::json payload = quota::SlackPayload(q, s, alert);
      Status posted = sender.Post(q.webhook_url, payload);
      quota::AuditEntry audit;
      audit.at = now_;
      audit.quota_id = q.quota_id;
      audit.use = s.use.total();
      audit.limit = q.limit;
      audit.unit = q.unit;
      if (posted.ok()) {
        RETURN_IF_ERROR(quota::QuotaStore::MarkAlertSent(*conn, q.quota_id, period_key, alert, now_));
        audit.action = quota::kAuditAlertSent;
        audit.detail = alert + " to " + q.webhook_url + ": " + payload["text"].get<std::string>();
        ++sent;
      } else {
        audit.action = quota::kAuditAlertFailed;
        audit.detail = alert + " to " + q.webhook_url + " failed (retried next evaluation): " + posted.message();
      }
      RETURN_IF_ERROR(quota::QuotaStore::Audit(*conn, audit));
    }
  }
  return sent;
}

void QuotaEngine::ForgetStoreReads() {
  now_ = ctx_.clock.Now();
  loaded_ = false;
  runs_.clear();
  tracked_loaded_ = false;
  tracked_resources_.clear();
}

}  // namespace mlcost::api::v1
