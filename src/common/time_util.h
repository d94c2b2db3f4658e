// UTC time helpers. mlcost keeps time as microseconds since the Unix epoch (UTC), the same
// resolution as DuckDB's TIMESTAMP; MLflow's wire uses milliseconds.
#ifndef MLCOST_COMMON_TIME_UTIL_H_
#define MLCOST_COMMON_TIME_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost {

using Micros = int64_t;

constexpr Micros kMicrosPerMilli = 1000;
constexpr Micros kMicrosPerSecond = 1000000;

// "2024-09-01T13:05:00.123456Z" (microseconds shown only when non-zero).
std::string FormatIso8601(Micros t);

// Parses "YYYY-MM-DD", "YYYY-MM-DD[T ]hh:mm[:ss[.ffffff]]" with optional "Z" or "+hh:mm"/"-hh:mm".
// Times without an offset are UTC. InvalidArgument naming the text on anything else.
Result<Micros> ParseIso8601(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
// The inverse: days since 1970-01-01 -> year, month (1..12), day (1..31).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d);

// a / b rounded toward negative infinity (b > 0): the day of a time before 1970 is negative.
int64_t FloorDiv(int64_t a, int64_t b);

}  // namespace mlcost

#endif  // MLCOST_COMMON_TIME_UTIL_H_
