// /api/v1/sql (the read-only SQL console) and /api/v1/queries (saved queries exported to CSV or
// Parquet on a schedule). Registered apart from RegisterV1Routes because they need the
// sqlconsole services the server owns; docs/sql.md describes both.
#ifndef MLCOST_API_V1_SQL_H_
#define MLCOST_API_V1_SQL_H_

#include "api/router.h"
#include "common/clock.h"
#include "sqlconsole/query_scheduler.h"
#include "sqlconsole/saved_query_store.h"
#include "sqlconsole/sql_service.h"

namespace mlcost::api {

// What the SQL routes work with. Owned by the server; outlives every request.
struct SqlRouteContext {
  sqlconsole::SqlService& sql;
  sqlconsole::SavedQueryStore& queries;
  sqlconsole::QueryScheduler& scheduler;
  const Clock& clock;
};

// POST /api/v1/sql; GET, POST /api/v1/queries; GET, DELETE /api/v1/queries/{name};
// POST /api/v1/queries/{name}/run.
void RegisterSqlRoutes(Router& router, SqlRouteContext& ctx);

}  // namespace mlcost::api

#endif  // MLCOST_API_V1_SQL_H_
