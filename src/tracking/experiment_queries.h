// Reads of experiments, on any connection. Used by the service's read path and by write ops
// (on the writer's connection, inside its transaction).
#ifndef MLCOST_TRACKING_EXPERIMENT_QUERIES_H_
#define MLCOST_TRACKING_EXPERIMENT_QUERIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "store/connection.h"
#include "tracking/search_filter.h"

namespace mlcost::tracking {

// NotFound "No Experiment with id=N exists" when absent (deleted ones are returned).
Result<Experiment> LoadExperiment(store::Connection& conn, int64_t id);

// The id of the experiment named `name`, preferring an active one; nullopt when none.
Result<std::optional<int64_t>> FindExperimentByName(store::Connection& conn, const std::string& name);

// Experiments matching `where` (over alias e) in `order`, with limit/offset.
Result<std::vector<Experiment>> LoadExperiments(store::Connection& conn, const SqlFragment& where,
                                                const SqlFragment& order, int64_t limit, int64_t offset);

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_EXPERIMENT_QUERIES_H_
