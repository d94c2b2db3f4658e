// QuotaStore: the quotas, quota_alerts and quota_audit tables (migration 6; docs/quotas.md).
// Stateless: every call works on the connection it is given, which must not be used by another
// thread meanwhile. Writes that check and change (create, update) run in one transaction.
#ifndef MLCOST_QUOTA_QUOTA_STORE_H_
#define MLCOST_QUOTA_QUOTA_STORE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "common/time_util.h"
#include "mlcost/status.h"
#include "quota/quota.h"
#include "store/connection.h"

namespace mlcost::quota {

// Audit actions.
inline constexpr char kAuditCreated[] = "quota_created";
inline constexpr char kAuditUpdated[] = "quota_updated";
inline constexpr char kAuditDeleted[] = "quota_deleted";
inline constexpr char kAuditAlertSent[] = "alert_sent";
inline constexpr char kAuditAlertFailed[] = "alert_failed";
inline constexpr char kAuditRunBlocked[] = "run_blocked";
inline constexpr char kAuditRunStop[] = "run_stop";

struct AuditEntry {
  int64_t audit_id = 0;
  Micros at = 0;
  std::optional<int64_t> quota_id;
  std::string action;
  std::string run_id;  // "" = none
  std::string detail;
  std::optional<Decimal> use;
  std::optional<Decimal> limit;
  std::string unit;  // "" = none
};

struct AuditFilter {
  std::optional<int64_t> quota_id;
  std::string action;  // "" = any
  std::string run_id;  // "" = any
  std::optional<Micros> since;  // at >= since
  std::optional<Micros> until;  // at < until
  int64_t max_results = 1000;
};

// {audit_id, at, quota_id, action, run_id, detail, use, limit, unit}.
nlohmann::json AuditToJson(const AuditEntry& e);

class QuotaStore {
 public:
  // Every quota, by id.
  static Result<std::vector<Quota>> List(store::Connection& conn);
  // NotFound "quota N does not exist".
  static Result<Quota> Get(store::Connection& conn, int64_t quota_id);
  // Assigns the id and times (now) and writes the quota with a quota_created audit row. Conflict
  // "... conflicts with quota N ..." when a quota with the same scope, name, period and unit
  // exists.
  static Result<Quota> Create(store::Connection& conn, Quota quota, Micros now);
  // Replaces quota `quota.quota_id` (NotFound if absent; Conflict as Create against the others),
  // keeps created_at, audits quota_updated. Alerts already sent this period stay sent.
  static Result<Quota> Update(store::Connection& conn, Quota quota, Micros now);
  // Deletes the quota and its sent-alert marks; audits quota_deleted. NotFound if absent.
  static Status Delete(store::Connection& conn, int64_t quota_id, Micros now);

  // Appends an audit row (audit_id assigned).
  static Status Audit(store::Connection& conn, const AuditEntry& entry);
  // Matching rows, newest first.
  static Result<std::vector<AuditEntry>> ListAudit(store::Connection& conn, const AuditFilter& filter);

  // Whether alert `alert` ("threshold:0.8", "forecast") of `quota_id` was sent in the period
  // starting at `period_start` (0 for total).
  static Result<bool> AlertSent(store::Connection& conn, int64_t quota_id, Micros period_start,
                                const std::string& alert);
  // Marks it sent (idempotent).
  static Status MarkAlertSent(store::Connection& conn, int64_t quota_id, Micros period_start,
                              const std::string& alert, Micros now);
};

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_QUOTA_STORE_H_
