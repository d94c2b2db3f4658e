#include "costs/calendar.h"

#include <charconv>

#include "common/time_util.h"

namespace mlcost::costs {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

Month MakeMonth(int64_t year, unsigned month) {
  const int64_t next_year = month == 12 ? year + 1 : year;
  const unsigned next_month = month == 12 ? 1 : month + 1;
  return Month{DaysFromCivil(year, month, 1), DaysFromCivil(next_year, next_month, 1)};
}

}  // namespace

std::string FormatDay(int64_t day) { return FormatIso8601(day * kMicrosPerDay).substr(0, 10); }

Result<int64_t> ParseDay(std::string_view text) {
  auto micros = ParseIso8601(text);
  if (!micros.ok()) return InvalidArgument("invalid date \"" + std::string(text) + "\": expected YYYY-MM-DD");
  return FloorDiv(*micros, kMicrosPerDay);
}

std::string Month::ToString() const { return FormatDay(first_day).substr(0, 7); }

Result<Month> ParseMonth(std::string_view text) {
  auto bad = [&] { return InvalidArgument("invalid month \"" + std::string(text) + "\": expected YYYY-MM"); };
  if (text.size() != 7 || text[4] != '-') return bad();
  int64_t year = 0;
  unsigned month = 0;
  auto y = std::from_chars(text.data(), text.data() + 4, year);
  auto m = std::from_chars(text.data() + 5, text.data() + 7, month);
  if (y.ec != std::errc() || y.ptr != text.data() + 4 || m.ec != std::errc() || m.ptr != text.data() + 7 ||
      month < 1 || month > 12) {
    return bad();
  }
  return MakeMonth(year, month);
}

Month MonthOf(int64_t day) {
  int64_t year = 0;
  unsigned month = 0;
  unsigned day_of_month = 0;
  CivilFromDays(day, &year, &month, &day_of_month);
  return MakeMonth(year, month);
}

}  // namespace mlcost::costs
