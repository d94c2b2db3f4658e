// CostRow: one group of an explorer answer, and FoldTopN, which keeps the N largest groups and
// folds the rest into one "other" row per time bucket and currency.
#ifndef MLCOST_EXPLORER_COST_ROWS_H_
#define MLCOST_EXPLORER_COST_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "common/time_util.h"

namespace mlcost::explorer {

struct CostRow {
  std::string currency;
  std::optional<Micros> period;                   // bucket start; empty for granularity none
  std::vector<std::optional<std::string>> keys;   // one per group_by dimension; empty = NULL
  Decimal cost;
  int64_t lines = 0;
  bool other = false;  // the folded remainder of top=N
};

// Ranks the groups (currency + keys) of `rows` by their cost summed over all periods, largest
// first (ties: smaller keys first), separately per currency, and keeps the first `top` of each
// currency; the rows of every other group are summed into one row per (period, currency) with
// other = true and every key "other". top = 0 returns `rows` unchanged. Totals are preserved
// exactly. Output order: period, currency, kept groups by rank, then the other row.
std::vector<CostRow> FoldTopN(std::vector<CostRow> rows, int64_t top);

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_COST_ROWS_H_
