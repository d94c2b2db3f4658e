// Days and months of the cost series: a day is an int64 count of days since 1970-01-01 (UTC).
#ifndef MLCOST_COSTS_CALENDAR_H_
#define MLCOST_COSTS_CALENDAR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::costs {

// "2024-09-01".
std::string FormatDay(int64_t day);

// "YYYY-MM-DD" or any ISO 8601 time ParseIso8601 accepts (floored to its UTC day).
// InvalidArgument naming the text otherwise.
Result<int64_t> ParseDay(std::string_view text);

// A calendar month as the half-open day range [first_day, end_day).
struct Month {
  int64_t first_day = 0;
  int64_t end_day = 0;
  std::string ToString() const;  // "2024-09"
};

// "YYYY-MM" (month 01..12). InvalidArgument naming the text otherwise.
Result<Month> ParseMonth(std::string_view text);

// The month a day lies in.
Month MonthOf(int64_t day);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_CALENDAR_H_
