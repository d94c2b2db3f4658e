#include "explorer/explorer.h"

#include <algorithm>

#include "explorer/allocation_store.h"

namespace mlcost::explorer {
namespace {

// Reads rows shaped as query_builder.h describes.
std::vector<CostRow> ReadRows(store::QueryResult& r, const CostQuery& q) {
  std::vector<CostRow> rows;
  const bool has_period = q.granularity != Granularity::kNone;
  const uint64_t first_key = has_period ? 2 : 1;
  const uint64_t cost_col = first_key + q.group_by.size();
  rows.reserve(r.RowCount());
  for (uint64_t i = 0; i < r.RowCount(); ++i) {
    CostRow row;
    row.currency = r.GetString(0, i);
    if (has_period && !r.IsNull(1, i)) row.period = r.GetTimestamp(1, i);
    for (uint64_t k = first_key; k < cost_col; ++k) row.keys.push_back(r.GetOptionalString(k, i));
    row.cost = r.GetDecimal(cost_col, i);
    row.lines = r.GetInt64(cost_col + 1, i);
    rows.push_back(std::move(row));
  }
  return rows;
}

// Runs `body(conn)` inside a transaction; rolls back on error.
template <typename Fn>
auto Transaction(store::Connection& conn, Fn body) -> decltype(body()) {
  RETURN_IF_ERROR(conn.Begin());
  auto result = body();
  if (!result.ok()) {
    conn.Rollback();
    return result;
  }
  if (Status s = conn.Commit(); !s.ok()) {
    conn.Rollback();
    return s;
  }
  return result;
}

}  // namespace

Result<std::set<std::string>> Explorer::Columns() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (columns_) return *columns_;
  }
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  ASSIGN_OR_RETURN(auto r, conn->Run("SELECT column_name FROM information_schema.columns WHERE table_name = 'costs' "
                                     "AND data_type = 'VARCHAR' ORDER BY column_name"));
  std::set<std::string> cols;
  for (uint64_t i = 0; i < r.RowCount(); ++i) cols.insert(r.GetString(0, i));
  std::lock_guard<std::mutex> lock(mu_);
  columns_ = cols;
  return cols;
}

Result<CostQuery> Explorer::Parse(const CostQueryText& text) {
  ASSIGN_OR_RETURN(std::set<std::string> cols, Columns());
  return ParseCostQuery(text, cols);
}

Result<AllocationSql> Explorer::Allocation() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (allocation_) return *allocation_;
  }
  ASSIGN_OR_RETURN(std::vector<AllocationRule> rules, ListRules());
  AllocationSql sql;
  for (const char* d : kAllocationDimensions) sql[d] = AllocationExpression(rules, d);
  std::lock_guard<std::mutex> lock(mu_);
  allocation_ = sql;
  return sql;
}

Result<Explorer::Signature> Explorer::ReadSignature(store::Connection& conn) {
  ASSIGN_OR_RETURN(auto r, conn.Run("SELECT (SELECT count(*) FROM costs), (SELECT coalesce(max(ingest_id), 0) FROM "
                                    "ingests), (SELECT count(*) FROM ingests)"));
  std::lock_guard<std::mutex> lock(mu_);
  return Signature{r.GetInt64(0, 0), r.GetInt64(1, 0), r.GetInt64(2, 0), rules_version_};
}

Status Explorer::RefreshRollup() {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return RefreshRollupLocked(*conn);
}

Status Explorer::RefreshRollupLocked(store::Connection& conn) {
  std::lock_guard<std::mutex> rebuild(rollup_mu_);
  ASSIGN_OR_RETURN(AllocationSql allocation, Allocation());
  Result<Signature> sig = Transaction(conn, [&]() -> Result<Signature> {
    // Read in the same snapshot as the rebuild, so a concurrent ingest makes the next query
    // rebuild again rather than be missed.
    ASSIGN_OR_RETURN(Signature now, ReadSignature(conn));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (rollup_signature_ == now) return now;
    }
    RETURN_IF_ERROR(conn.Execute("DELETE FROM cost_rollup_daily"));
    RETURN_IF_ERROR(RunSql(conn, BuildRollupFill(allocation)).status());
    return now;
  });
  if (!sig.ok()) return sig.status().WithContext("rebuilding the daily cost rollup");
  std::lock_guard<std::mutex> lock(mu_);
  rollup_signature_ = *sig;
  return Status::Ok();
}

Result<CostReport> Explorer::Costs(const CostQuery& q) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  CostReport report;
  report.query = q;
  report.from_rollup = RollupAnswers(q);
  SqlText sql;
  if (report.from_rollup) {
    RETURN_IF_ERROR(RefreshRollupLocked(*conn));
    sql = BuildRollupSql(q);
  } else {
    ASSIGN_OR_RETURN(AllocationSql allocation, Allocation());
    sql = BuildCostSql(q, allocation);
  }
  ASSIGN_OR_RETURN(auto r, RunSql(*conn, sql));
  std::vector<CostRow> rows = ReadRows(r, q);
  for (const CostRow& row : rows) {
    report.totals[row.currency] += row.cost;
    report.lines += row.lines;
  }
  report.rows = FoldTopN(std::move(rows), q.top);
  return report;
}

Result<std::vector<LeaderboardRow>> Explorer::Leaderboard(const Dimension& dimension, CostMetric metric,
                                                          Micros previous_since, Micros since, Micros until) {
  CostQuery q;
  q.group_by = {dimension};
  q.granularity = Granularity::kNone;
  q.metric = metric;
  q.since = since;
  q.until = until;
  ASSIGN_OR_RETURN(CostReport current, Costs(q));
  q.since = previous_since;
  q.until = since;
  ASSIGN_OR_RETURN(CostReport previous, Costs(q));
  std::map<std::pair<std::string, std::string>, LeaderboardRow> rows;
  auto key_of = [](const CostRow& r) { return r.keys.front().value_or(""); };
  for (const CostRow& r : current.rows) {
    LeaderboardRow& row = rows[{r.currency, key_of(r)}];
    row.key = key_of(r);
    row.currency = r.currency;
    row.current += r.cost;
  }
  for (const CostRow& r : previous.rows) {
    LeaderboardRow& row = rows[{r.currency, key_of(r)}];
    row.key = key_of(r);
    row.currency = r.currency;
    row.previous += r.cost;
  }
  std::vector<LeaderboardRow> out;
  for (auto& [k, row] : rows) out.push_back(std::move(row));
  std::stable_sort(out.begin(), out.end(), [](const LeaderboardRow& a, const LeaderboardRow& b) {
    if (a.currency != b.currency) return a.currency < b.currency;
    return a.current > b.current;
  });
  return out;
}

Result<std::vector<AllocationRule>> Explorer::ListRules() {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return AllocationStore::List(*conn);
}

Result<AllocationRule> Explorer::GetRule(int64_t rule_id) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return AllocationStore::Get(*conn, rule_id);
}

template <typename Fn>
auto Explorer::WriteRules(Fn write) -> decltype(write(std::declval<store::Connection&>())) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::lock_guard<std::mutex> rebuild(rollup_mu_);
  auto result = write(*conn);
  std::lock_guard<std::mutex> lock(mu_);
  allocation_.reset();
  ++rules_version_;
  return result;
}

Result<AllocationRule> Explorer::CreateRule(const AllocationRule& rule) {
  return WriteRules([&](store::Connection& c) { return AllocationStore::Create(c, rule, clock_.Now()); });
}

Result<AllocationRule> Explorer::UpdateRule(const AllocationRule& rule) {
  return WriteRules([&](store::Connection& c) { return AllocationStore::Update(c, rule); });
}

Status Explorer::DeleteRule(int64_t rule_id) {
  return WriteRules([&](store::Connection& c) { return AllocationStore::Delete(c, rule_id); });
}

Result<std::vector<AllocationRule>> Explorer::ReorderRules(const std::vector<int64_t>& rule_ids) {
  return WriteRules([&](store::Connection& c) { return AllocationStore::Reorder(c, rule_ids); });
}

}  // namespace mlcost::explorer
