// The explorer's /api/v1 resources (docs/costs.md): GET /api/v1/costs, allocation rules,
// leaderboards and a run's billed cost. RegisterExplorerRoutes (v1_handlers.h) makes one
// explorer::Explorer, owned by the registered handlers, and passes it to each file.
#ifndef MLCOST_API_V1_EXPLORER_H_
#define MLCOST_API_V1_EXPLORER_H_

#include <memory>

#include "api/api_context.h"
#include "api/router.h"
#include "explorer/explorer.h"

namespace mlcost::api::v1 {

// GET /api/v1/costs (v1_explorer.cc).
void RegisterCostExplorerRoutes(Router& router, std::shared_ptr<explorer::Explorer> explorer);
// GET|POST /api/v1/allocation/rules, PUT|DELETE /api/v1/allocation/rules/{rule_id},
// POST /api/v1/allocation/rules/reorder (v1_allocation.cc).
void RegisterAllocationRoutes(Router& router, std::shared_ptr<explorer::Explorer> explorer);
// GET /api/v1/leaderboards/costs, /api/v1/leaderboards/runs, /api/v1/runs/{run_id}/billed-cost
// (v1_leaderboards.cc).
void RegisterLeaderboardRoutes(Router& router, ApiContext& ctx, std::shared_ptr<explorer::Explorer> explorer);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_EXPLORER_H_
