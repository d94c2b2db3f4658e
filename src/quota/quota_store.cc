#include "quota/quota_store.h"
#include "store/transaction.h"

#include <sstream>

namespace mlcost::quota {
namespace {

using nlohmann::json;

constexpr char kColumns[] =
    "quota_id, scope, scope_name, period, unit, limit_value, coalesce(currency, ''), actions, "
    "coalesce(webhook_url, ''), thresholds, forecast_alert, created_at, updated_at";

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string ThresholdText(const std::vector<Decimal>& thresholds) {
  std::vector<std::string> parts;
  for (const Decimal& t : thresholds) parts.push_back(t.ToString());
  return JoinList(parts);
}

std::vector<Quota> ReadQuotas(store::QueryResult& r) {
  std::vector<Quota> out;
  for (uint64_t i = 0; i < r.RowCount(); ++i) {
    Quota q;
    q.quota_id = r.GetInt64(0, i);
    q.scope = r.GetString(1, i);
    q.scope_name = r.GetString(2, i);
    q.period = r.GetString(3, i);
    q.unit = r.GetString(4, i);
    q.limit = r.GetDecimal(5, i);
    q.currency = r.GetString(6, i);
    q.actions = SplitList(r.GetString(7, i));
    q.webhook_url = r.GetString(8, i);
    for (const std::string& t : SplitList(r.GetString(9, i))) {
      Result<Decimal> d = Decimal::Parse(t);
      if (d.ok()) q.thresholds.push_back(*d);
    }
    q.forecast_alert = r.GetBool(10, i);
    q.created_at = r.GetTimestamp(11, i);
    q.updated_at = r.GetTimestamp(12, i);
    out.push_back(std::move(q));
  }
  return out;
}

std::optional<std::string> OptionalText(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::optional<std::string> OptionalDecimal(const std::optional<Decimal>& d) {
  return d ? std::optional<std::string>(d->ToString()) : std::nullopt;
}

// Conflict naming the existing quota that `q` would duplicate, else OK.
Status CheckConflict(store::Connection& conn, const Quota& q) {
  ASSIGN_OR_RETURN(std::vector<Quota> all, QuotaStore::List(conn));
  for (const Quota& other : all) {
    if (other.quota_id != q.quota_id && Conflicts(q, other)) {
      return Conflict("a quota for " + (q.scope == kScopeOrg ? std::string("org") : q.scope + " '" + q.scope_name + "'") +
                      ", period " + q.period + ", unit " + q.unit + " already exists: quota " +
                      std::to_string(other.quota_id) + " (change it with PUT /api/v1/quotas/" +
                      std::to_string(other.quota_id) + ")");
    }
  }
  return Status::Ok();
}

AuditEntry ChangeAudit(const Quota& q, const char* action, Micros now) {
  AuditEntry e;
  e.at = now;
  e.quota_id = q.quota_id;
  e.action = action;
  e.detail = q.Describe() + ": " + QuotaToJson(q).dump();
  e.limit = q.limit;
  e.unit = q.unit;
  return e;
}

}  // namespace

json AuditToJson(const AuditEntry& e) {
  return json{{"audit_id", e.audit_id},
              {"at", FormatIso8601(e.at)},
              {"quota_id", e.quota_id ? json(*e.quota_id) : json(nullptr)},
              {"action", e.action},
              {"run_id", e.run_id.empty() ? json(nullptr) : json(e.run_id)},
              {"detail", e.detail},
              {"use", e.use ? json(e.use->ToString()) : json(nullptr)},
              {"limit", e.limit ? json(e.limit->ToString()) : json(nullptr)},
              {"unit", e.unit.empty() ? json(nullptr) : json(e.unit)}};
}

Result<std::vector<Quota>> QuotaStore::List(store::Connection& conn) {
  ASSIGN_OR_RETURN(auto r, conn.Run(std::string("SELECT ") + kColumns + " FROM quotas ORDER BY quota_id"));
  return ReadQuotas(r);
}

Result<Quota> QuotaStore::Get(store::Connection& conn, int64_t quota_id) {
  ASSIGN_OR_RETURN(auto r, conn.Run(std::string("SELECT ") + kColumns + " FROM quotas WHERE quota_id = ?", quota_id));
  std::vector<Quota> quotas = ReadQuotas(r);
  if (quotas.empty()) return NotFound("quota " + std::to_string(quota_id) + " does not exist");
  return quotas.front();
}

Result<Quota> QuotaStore::Create(store::Connection& conn, Quota quota, Micros now) {
  return store::InTransaction(conn, [&]() -> Result<Quota> {
    quota.quota_id = 0;
    RETURN_IF_ERROR(CheckConflict(conn, quota));
    ASSIGN_OR_RETURN(auto id, conn.Run("SELECT nextval('quota_id_seq')"));
    quota.quota_id = id.GetInt64(0, 0);
    quota.created_at = now;
    quota.updated_at = now;
    RETURN_IF_ERROR(conn.Exec(
        "INSERT INTO quotas VALUES (?, ?, ?, ?, ?, CAST(? AS DECIMAL(38,12)), ?, ?, ?, ?, ?, ?, ?)", quota.quota_id,
        quota.scope, quota.scope_name, quota.period, quota.unit, quota.limit.ToString(), OptionalText(quota.currency),
        JoinList(quota.actions), OptionalText(quota.webhook_url), ThresholdText(quota.thresholds),
        quota.forecast_alert, store::Timestamp{now}, store::Timestamp{now}));
    RETURN_IF_ERROR(Audit(conn, ChangeAudit(quota, kAuditCreated, now)));
    return quota;
  });
}

Result<Quota> QuotaStore::Update(store::Connection& conn, Quota quota, Micros now) {
  return store::InTransaction(conn, [&]() -> Result<Quota> {
    ASSIGN_OR_RETURN(Quota old, Get(conn, quota.quota_id));
    RETURN_IF_ERROR(CheckConflict(conn, quota));
    quota.created_at = old.created_at;
    quota.updated_at = now;
    RETURN_IF_ERROR(conn.Exec(
        "UPDATE quotas SET scope = ?, scope_name = ?, period = ?, unit = ?, limit_value = CAST(? AS DECIMAL(38,12)), "
        "currency = ?, actions = ?, webhook_url = ?, thresholds = ?, forecast_alert = ?, updated_at = ? "
        "WHERE quota_id = ?",
        quota.scope, quota.scope_name, quota.period, quota.unit, quota.limit.ToString(), OptionalText(quota.currency),
        JoinList(quota.actions), OptionalText(quota.webhook_url), ThresholdText(quota.thresholds),
        quota.forecast_alert, store::Timestamp{now}, quota.quota_id));
    AuditEntry e = ChangeAudit(quota, kAuditUpdated, now);
    e.detail = quota.Describe() + ": was " + QuotaToJson(old).dump() + ", now " + QuotaToJson(quota).dump();
    RETURN_IF_ERROR(Audit(conn, e));
    return quota;
  });
}

Status QuotaStore::Delete(store::Connection& conn, int64_t quota_id, Micros now) {
  return store::InTransaction(conn, [&]() -> Status {
    ASSIGN_OR_RETURN(Quota old, Get(conn, quota_id));
    RETURN_IF_ERROR(conn.Exec("DELETE FROM quota_alerts WHERE quota_id = ?", quota_id));
    RETURN_IF_ERROR(conn.Exec("DELETE FROM quotas WHERE quota_id = ?", quota_id));
    return Audit(conn, ChangeAudit(old, kAuditDeleted, now));
  });
}

Status QuotaStore::Audit(store::Connection& conn, const AuditEntry& e) {
  return conn.Exec(
      "INSERT INTO quota_audit VALUES (nextval('quota_audit_id_seq'), ?, CAST(? AS BIGINT), ?, ?, ?, "
      "CAST(? AS DECIMAL(38,12)), CAST(? AS DECIMAL(38,12)), ?)",
      store::Timestamp{e.at}, e.quota_id ? std::optional<std::string>(std::to_string(*e.quota_id)) : std::nullopt,
      e.action, OptionalText(e.run_id), e.detail, OptionalDecimal(e.use), OptionalDecimal(e.limit),
      OptionalText(e.unit));
}

Result<std::vector<AuditEntry>> QuotaStore::ListAudit(store::Connection& conn, const AuditFilter& f) {
  ASSIGN_OR_RETURN(
      auto r,
      conn.Run("SELECT audit_id, event_time, quota_id, action, coalesce(run_id, ''), detail, use_value, limit_value, "
               "coalesce(unit, '') FROM quota_audit "
               "WHERE (? OR quota_id = ?) AND (? = '' OR action = ?) AND (? = '' OR run_id = ?) "
               "AND (? OR event_time >= ?) AND (? OR event_time < ?) ORDER BY audit_id DESC LIMIT ?",
               !f.quota_id.has_value(), f.quota_id.value_or(0), f.action, f.action, f.run_id, f.run_id,
               !f.since.has_value(), store::Timestamp{f.since.value_or(0)}, !f.until.has_value(),
               store::Timestamp{f.until.value_or(0)}, f.max_results));
  std::vector<AuditEntry> out;
  for (uint64_t i = 0; i < r.RowCount(); ++i) {
    AuditEntry e;
    e.audit_id = r.GetInt64(0, i);
    e.at = r.GetTimestamp(1, i);
    if (!r.IsNull(2, i)) e.quota_id = r.GetInt64(2, i);
    e.action = r.GetString(3, i);
    e.run_id = r.GetString(4, i);
    e.detail = r.GetString(5, i);
    if (!r.IsNull(6, i)) e.use = r.GetDecimal(6, i);
    if (!r.IsNull(7, i)) e.limit = r.GetDecimal(7, i);
    e.unit = r.GetString(8, i);
    out.push_back(std::move(e));
  }
  return out;
}

Result<bool> QuotaStore::AlertSent(store::Connection& conn, int64_t quota_id, Micros period_start,
                                   const std::string& alert) {
  ASSIGN_OR_RETURN(auto r, conn.Run("SELECT count(*) FROM quota_alerts WHERE quota_id = ? AND period_start = ? "
                                    "AND alert = ?",
                                    quota_id, store::Timestamp{period_start}, alert));
  return r.GetInt64(0, 0) > 0;
}

Status QuotaStore::MarkAlertSent(store::Connection& conn, int64_t quota_id, Micros period_start,
                                 const std::string& alert, Micros now) {
  return conn.Exec("INSERT OR IGNORE INTO quota_alerts VALUES (?, ?, ?, ?)", quota_id, store::Timestamp{period_start},
                   alert, store::Timestamp{now});
}

}  // namespace mlcost::quota
