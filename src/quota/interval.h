// The quota evaluator's interval as typed on the command line (`mlcost serve --quota-interval`).
#ifndef MLCOST_QUOTA_INTERVAL_H_
#define MLCOST_QUOTA_INTERVAL_H_

#include <cstdint>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::quota {

// "60s", "2m", "1h", "500ms", or a plain number of seconds ("60", "0.5") -> milliseconds. "0"
// (any unit) means off. InvalidArgument naming the text for anything else, a negative value or
// one over a day.
Result<int64_t> ParseIntervalMs(std::string_view text);

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_INTERVAL_H_
