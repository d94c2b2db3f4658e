// Reads of runs and their data, on any connection.
#ifndef MLCOST_TRACKING_RUN_QUERIES_H_
#define MLCOST_TRACKING_RUN_QUERIES_H_

#include <string>
#include <vector>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "store/connection.h"
#include "tracking/search_filter.h"

namespace mlcost::tracking {

// NotFound "Run with id=X not found" when absent.
Result<RunInfo> LoadRunInfo(store::Connection& conn, const std::string& run_id);

// Info, latest metrics, params and tags of each id in `run_ids`, in that order. Ids that do not
// exist are skipped.
Result<std::vector<Run>> LoadRuns(store::Connection& conn, const std::vector<std::string>& run_ids);

// Ids of runs matching `where` (over alias r), ordered by `order`, with limit/offset.
Result<std::vector<std::string>> SearchRunIds(store::Connection& conn, const SqlFragment& where,
                                              const SqlFragment& order, int64_t limit, int64_t offset);

Result<std::vector<RunAttempt>> LoadAttempts(store::Connection& conn, const std::string& run_id);

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_RUN_QUERIES_H_
