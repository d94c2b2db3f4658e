#include "explorer/cost_rows.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "explorer/cost_query.h"

namespace mlcost::explorer {

std::vector<CostRow> FoldTopN(std::vector<CostRow> rows, int64_t top) {
  if (top <= 0) return rows;
  using GroupKey = std::pair<std::string, std::vector<std::optional<std::string>>>;
  std::map<GroupKey, Decimal> totals;
  for (const CostRow& r : rows) totals[{r.currency, r.keys}] += r.cost;

  std::map<std::string, std::vector<std::pair<Decimal, const GroupKey*>>> by_currency;
  for (const auto& [key, total] : totals) by_currency[key.first].push_back({total, &key});
  std::map<GroupKey, int64_t> rank;  // kept groups only
  for (auto& [currency, groups] : by_currency) {
    std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < groups.size() && static_cast<int64_t>(i) < top; ++i) {
      rank[*groups[i].second] = static_cast<int64_t>(i);
    }
  }

  std::vector<CostRow> kept;
  std::map<std::pair<std::optional<Micros>, std::string>, CostRow> others;
  for (CostRow& r : rows) {
    if (rank.count({r.currency, r.keys}) != 0) {
      kept.push_back(std::move(r));
      continue;
    }
    auto [it, inserted] = others.try_emplace({r.period, r.currency});
    CostRow& o = it->second;
    if (inserted) {
      o.currency = r.currency;
      o.period = r.period;
      o.keys.assign(r.keys.size(), std::optional<std::string>(kOther));
      o.other = true;
    }
    o.cost += r.cost;
    o.lines += r.lines;
  }
  for (auto& [key, o] : others) kept.push_back(std::move(o));
  auto order = [&](const CostRow& r) {
    int64_t pos = r.other ? top : rank.at({r.currency, r.keys});
    return std::make_tuple(r.period, r.currency, pos);
  };
  std::stable_sort(kept.begin(), kept.end(), [&](const CostRow& a, const CostRow& b) { return order(a) < order(b); });
  return kept;
}

}  // namespace mlcost::explorer
