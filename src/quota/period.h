// The UTC calendar period a quota counts in (docs/quotas.md, "Periods"): day = [00:00, next
// 00:00); week = Monday 00:00 to the next Monday (ISO weeks); month = the 1st 00:00 to the next
// 1st; total = everything ever (no start, no end).
#ifndef MLCOST_QUOTA_PERIOD_H_
#define MLCOST_QUOTA_PERIOD_H_

#include <optional>
#include <string>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::quota {

// Half-open [start, end). `total` has neither.
struct PeriodWindow {
  std::optional<Micros> start;
  std::optional<Micros> end;
};

// The period of kind `period` ("day", "week", "month", "total") holding `now`. InvalidArgument
// naming the period for any other kind.
Result<PeriodWindow> PeriodAt(const std::string& period, Micros now);

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_PERIOD_H_
