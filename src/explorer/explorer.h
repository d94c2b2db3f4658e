// Explorer: the cost explorer, allocation rules and cost leaderboards over the costs table
// (docs/costs.md). Reads on connections borrowed from the tracking ReadPool; allocation rule
// writes and rollup rebuilds are serialised by a mutex. Thread-safe.
#ifndef MLCOST_EXPLORER_EXPLORER_H_
#define MLCOST_EXPLORER_EXPLORER_H_

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "explorer/allocation_rule.h"
#include "explorer/cost_query.h"
#include "explorer/cost_rows.h"
#include "explorer/query_builder.h"
#include "mlcost/status.h"
#include "tracking/read_pool.h"

namespace mlcost::explorer {

struct CostReport {
  CostQuery query;
  std::vector<CostRow> rows;               // after FoldTopN
  std::map<std::string, Decimal> totals;   // currency -> sum of every row
  int64_t lines = 0;                       // cost lines summed
  bool from_rollup = false;                // answered from cost_rollup_daily
};

// One group of a cost leaderboard.
struct LeaderboardRow {
  std::string key;
  std::string currency;
  Decimal current;
  Decimal previous;
};

class Explorer {
 public:
  // `pool` and `clock` must outlive the Explorer.
  Explorer(tracking::ReadPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // The VARCHAR columns of the costs table: what group_by and filter accept besides tags and
  // allocation dimensions. Read from the database once.
  Result<std::set<std::string>> Columns();
  // ParseCostQuery against Columns().
  Result<CostQuery> Parse(const CostQueryText& text);

  // Runs `q`: from the daily rollup when it answers exactly (rebuilt first if the costs or the
  // rules changed since it was built), else from costs. Internal on a store failure.
  Result<CostReport> Costs(const CostQuery& q);

  // Cost of each value of `dimension` in [since, until) ("current") and in [previous_since,
  // since) ("previous"), per currency; by currency, then largest current first.
  Result<std::vector<LeaderboardRow>> Leaderboard(const Dimension& dimension, CostMetric metric,
                                                  Micros previous_since, Micros since, Micros until);

  // Allocation rules (allocation_store.h); every change rebuilds the allocation SQL and marks
  // the rollup stale.
  Result<std::vector<AllocationRule>> ListRules();
  Result<AllocationRule> GetRule(int64_t rule_id);
  Result<AllocationRule> CreateRule(const AllocationRule& rule);
  Result<AllocationRule> UpdateRule(const AllocationRule& rule);
  Status DeleteRule(int64_t rule_id);
  Result<std::vector<AllocationRule>> ReorderRules(const std::vector<int64_t>& rule_ids);

  // Rebuilds cost_rollup_daily now if stale (the bench calls it to measure the rebuild alone).
  Status RefreshRollup();

 private:
  using Signature = std::tuple<int64_t, int64_t, int64_t, int64_t>;
  Result<AllocationSql> Allocation();  // cached until the rules change
  Result<Signature> ReadSignature(store::Connection& conn);
  Status RefreshRollupLocked(store::Connection& conn);
  // Runs `write(conn)` on a pooled connection with the rollup lock held, then drops the cached
  // allocation SQL and bumps the rules version the rollup is keyed by. Defined in explorer.cc.
  template <typename Fn>
  auto WriteRules(Fn write) -> decltype(write(std::declval<store::Connection&>()));

  tracking::ReadPool& pool_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<std::set<std::string>> columns_;  // GUARDED_BY(mu_)
  std::optional<AllocationSql> allocation_;       // GUARDED_BY(mu_)
  int64_t rules_version_ = 0;                     // GUARDED_BY(mu_)
  std::optional<Signature> rollup_signature_;     // GUARDED_BY(mu_)
  std::mutex rollup_mu_;                          // held while rebuilding
};

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_EXPLORER_H_
