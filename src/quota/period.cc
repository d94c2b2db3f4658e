#include "quota/period.h"

#include <cstdint>

namespace mlcost::quota {
namespace {

constexpr Micros kMicrosPerDay = int64_t{86400} * 1000000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 -> (year, month 1..12); Howard Hinnant's civil_from_days.
void CivilFromDays(int64_t z, int64_t& y, unsigned& m) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

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
    int64_t y = 0;
    unsigned m = 0;
    CivilFromDays(day, y, m);
    const int64_t first = DaysFromCivil(y, m, 1);
    const int64_t next = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
    return PeriodWindow{first * kMicrosPerDay, next * kMicrosPerDay};
  }
  if (period == "total") return PeriodWindow{};
  return InvalidArgument("unknown period '" + period + "': expected day, week, month or total");
}

}  // namespace mlcost::quota
