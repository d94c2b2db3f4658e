// Compiles a CostQuery to SQL over the costs table, or over cost_rollup_daily when the query
// only needs what the rollup holds (one allocation dimension, whole days). Both statements give
// the same columns: billing_currency, period (absent when granularity is none), one column per
// group_by dimension, cost (DECIMAL sum), lines (BIGINT).
#ifndef MLCOST_EXPLORER_QUERY_BUILDER_H_
#define MLCOST_EXPLORER_QUERY_BUILDER_H_

#include <map>
#include <string>

#include "explorer/cost_query.h"
#include "explorer/sql_text.h"

namespace mlcost::explorer {

// The SQL expression of each allocation dimension (AllocationExpression), by name.
using AllocationSql = std::map<std::string, SqlText>;

// The SQL expression of one dimension over a costs row: a quoted column, tags[?], or the
// allocation expression.
SqlText DimensionSql(const Dimension& d, const AllocationSql& allocation);

// The grouped query over costs.
SqlText BuildCostSql(const CostQuery& q, const AllocationSql& allocation);

// True when cost_rollup_daily answers `q` exactly: at most one dimension across group_by and
// filters and it is an allocation dimension, granularity none/day/week/month, since/until at
// UTC midnight.
bool RollupAnswers(const CostQuery& q);

// The grouped query over cost_rollup_daily; only for queries RollupAnswers accepts.
SqlText BuildRollupSql(const CostQuery& q);

// The statement that fills cost_rollup_daily from costs (one scan, a grouping set per
// allocation dimension).
SqlText BuildRollupFill(const AllocationSql& allocation);

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_QUERY_BUILDER_H_
