#include "quota/period.h"

#include <cstdint>

#include "costs/calendar.h"

namespace mlcost::quota {
namespace {

constexpr Micros kMicrosPerDay = int64_t{86400} * kMicrosPerSecond;

}  // namespace

Result<PeriodWindow> PeriodAt(const std::string& period, Micros now) {
  const int64_t day = FloorDiv(now, kMicrosPerDay);
  if (period == "day") return PeriodWindow{day * kMicrosPerDay, (day + 1) * kMicrosPerDay};
  if (period == "week") {
    // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
    const int64_t monday = day - (((day + 3) % 7) + 7) % 7;
    return PeriodWindow{monday * kMicrosPerDay, (monday + 7) * kMicrosPerDay};
  }
  if (period == "month") {
    const costs::Month month = costs::MonthOf(day);
    return PeriodWindow{month.first_day * kMicrosPerDay, month.end_day * kMicrosPerDay};
  }
  if (period == "total") return PeriodWindow{};
  return InvalidArgument("unknown period '" + period + "': expected day, week, month or total");
}

}  // namespace mlcost::quota
