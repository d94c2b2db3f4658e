// Binding helpers shared by the tracking queries.
#ifndef MLCOST_TRACKING_SQL_BIND_H_
#define MLCOST_TRACKING_SQL_BIND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "store/prepared_statement.h"
#include "tracking/search_filter.h"

namespace mlcost::tracking {

// Binds `values` to parameters first, first+1, ... Returns the next free index.
Result<uint64_t> BindAll(store::PreparedStatement& stmt, uint64_t first, const std::vector<SqlValue>& values);

// "?, ?, ?" with n placeholders (n >= 1).
std::string Placeholders(size_t n);

// MLflow's ms on the wire <-> TIMESTAMP micros. InvalidArgument naming `what` when out of range
// (MLflow times are ms since the epoch; mlcost accepts years 1970..9999).
Result<int64_t> MillisToMicros(int64_t ms, const char* what);
inline int64_t MicrosToMillis(int64_t us) { return us / 1000; }

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_SQL_BIND_H_
