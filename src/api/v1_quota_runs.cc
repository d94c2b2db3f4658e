#include "api/v1_quota_runs.h"

#include <limits>

#include "api/v1_attribution.h"
#include "explorer/run_billing.h"
#include "pricing/run_cost.h"
#include "quota/quota.h"

namespace mlcost::api::v1 {
namespace {

// The tags a quota check reads, in the order of the query's tag columns.
constexpr const char* kQuotaTags[] = {kTagTeam,
                                      kTagProject,
                                      pricing::kTagInstanceType,
                                      pricing::kTagProvider,
                                      pricing::kTagRegion,
                                      pricing::kTagPricing,
                                      pricing::kTagGpuCount,
                                      pricing::kTagAccelerator};
constexpr int kTagCount = sizeof(kQuotaTags) / sizeof(kQuotaTags[0]);
constexpr int kFirstTagColumn = 5;
constexpr int kFirstAttemptColumn = kFirstTagColumn + kTagCount;

// Runs SearchRuns would return for a search over every experiment with the active view.
constexpr char kActiveRuns[] =
    "r.lifecycle_stage = 'active' AND r.experiment_id IN (SELECT experiment_id FROM experiments)";

std::string SqlString(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The scope's attribution (docs/api.md, "Attribution") as a SQL expression over `r` (runs) and
// `g` (the pivoted tags); empty for org, which every run matches.
std::string ScopeExpression(const std::string& scope) {
  if (scope == quota::kScopeUser) return "CASE WHEN r.user_id = '' THEN 'unallocated' ELSE r.user_id END";
  if (scope == quota::kScopeTeam) {
    return "coalesce(nullif(g.team, ''), "
           "(SELECT max(nullif(u.team, '')) FROM users u WHERE u.name = r.user_id), 'unallocated')";
  }
  if (scope == quota::kScopeProject) {
    return "coalesce(nullif(g.project, ''), "
           "(SELECT max(nullif(et.value, '')) FROM experiment_tags et "
           "WHERE et.experiment_id = r.experiment_id AND et.key = 'mlcost.project'), 'unallocated')";
  }
  return "";
}

std::string SelectSql(const std::string& scope) {
  std::string pivot, keys;
  for (int i = 0; i < kTagCount; ++i) {
    const char* alias = i == 0 ? "team" : i == 1 ? "project" : nullptr;
    pivot += std::string(", max(value) FILTER (WHERE key = ") + SqlString(kQuotaTags[i]) + ") AS " +
             (alias != nullptr ? std::string(alias) : "t" + std::to_string(i));
    keys += std::string(i == 0 ? "" : ", ") + SqlString(kQuotaTags[i]);
  }
  std::string sql = "WITH g AS (SELECT run_id" + pivot + " FROM tags WHERE key IN (" + keys +
                    ") GROUP BY run_id), "
                    "c AS (SELECT r.run_id, r.experiment_id, r.user_id, r.status, epoch_ms(r.end_time) AS end_ms, "
                    "g.* EXCLUDE (run_id) FROM runs r LEFT JOIN g ON g.run_id = r.run_id WHERE " +
                    std::string(kActiveRuns) +
                    " AND r.run_id IN (SELECT run_id FROM run_attempts WHERE epoch_ms(start_time) < ? "
                    "AND (end_time IS NULL OR epoch_ms(end_time) > ?))";
  const std::string scope_expr = ScopeExpression(scope);
  if (!scope_expr.empty()) sql += " AND " + scope_expr + " = ?";
  sql += ") SELECT c.*, a.attempt, epoch_ms(a.start_time), epoch_ms(a.end_time), coalesce(a.end_cause, '') "
         "FROM c JOIN run_attempts a ON a.run_id = c.run_id ORDER BY c.run_id, a.attempt";
  return sql;
}

}  // namespace

Result<std::vector<QuotaRun>> SelectQuotaRuns(store::Connection& conn, const QuotaRunFilter& filter) {
  const std::string sql = SelectSql(filter.scope);
  const int64_t end = filter.end_ms.value_or(std::numeric_limits<int64_t>::max());
  const int64_t start = filter.start_ms.value_or(std::numeric_limits<int64_t>::min());
  Result<store::QueryResult> result = filter.scope == quota::kScopeOrg ? conn.Run(sql, end, start)
                                                                        : conn.Run(sql, end, start, filter.name);
  if (!result.ok()) return result.status();
  store::QueryResult& rows = *result;
  std::vector<QuotaRun> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    const std::string run_id = rows.GetString(0, r);
    if (out.empty() || out.back().run.info.run_id != run_id) {
      QuotaRun q;
      q.run.info.run_id = run_id;
      q.run.info.experiment_id = std::to_string(rows.GetInt64(1, r));
      q.run.info.user_id = rows.GetString(2, r);
      q.run.info.status = rows.GetString(3, r);
      if (!rows.IsNull(4, r)) q.run.info.end_time_ms = rows.GetInt64(4, r);
      for (int t = 0; t < kTagCount; ++t) {
        if (!rows.IsNull(kFirstTagColumn + t, r)) q.run.tags.push_back({kQuotaTags[t], rows.GetString(kFirstTagColumn + t, r)});
      }
      out.push_back(std::move(q));
    }
    RunAttempt a;
    a.attempt = static_cast<int>(rows.GetInt64(kFirstAttemptColumn, r));
    a.start_time_ms = rows.GetInt64(kFirstAttemptColumn + 1, r);
    if (!rows.IsNull(kFirstAttemptColumn + 2, r)) a.end_time_ms = rows.GetInt64(kFirstAttemptColumn + 2, r);
    a.end_cause = rows.GetString(kFirstAttemptColumn + 3, r);
    out.back().attempts.push_back(std::move(a));
  }
  return out;
}

Result<std::set<std::string>> TrackedResourceIds(store::Connection& conn) {
  static_assert(sizeof(explorer::kResourceIdTags) / sizeof(explorer::kResourceIdTags[0]) == 2);
  const std::string first = SqlString(explorer::kResourceIdTags[0]);
  const std::string second = SqlString(explorer::kResourceIdTags[1]);
  ASSIGN_OR_RETURN(auto rows,
                   conn.Run("SELECT DISTINCT id FROM (SELECT coalesce(max(value) FILTER (WHERE key = " + first +
                            "), max(value) FILTER (WHERE key = " + second + ")) AS id FROM tags t "
                            "WHERE t.key IN (" + first + ", " + second + ") AND t.value <> '' AND t.run_id IN "
                            "(SELECT r.run_id FROM runs r WHERE " + kActiveRuns + ") GROUP BY t.run_id) "
                            "WHERE id IS NOT NULL"));
  std::set<std::string> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) out.insert(rows.GetString(0, r));
  return out;
}

}  // namespace mlcost::api::v1
