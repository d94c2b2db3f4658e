#include "common/time_util.h"

#include <cstdio>

namespace mlcost {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

namespace {


int64_t DaysInMonth(int64_t y, unsigned m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}


}  // namespace

std::string FormatIso8601(Micros t) {
  int64_t days = FloorDiv(t, 86400LL * kMicrosPerSecond);
  int64_t rem = t - days * 86400LL * kMicrosPerSecond;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  int64_t secs = rem / kMicrosPerSecond;
  int64_t frac = rem % kMicrosPerSecond;
  char buf[64];
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m,
                  d, static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60), static_cast<long long>(frac));
  }
  return buf;
}

Result<Micros> ParseIso8601(std::string_view text) {
  auto bad = [&] { return InvalidArgument("'" + std::string(text) + "' is not an ISO 8601 UTC time"); };
  size_t i = 0;
  auto number = [&](int width, int64_t* out) {
    if (i + width > text.size()) return false;
    int64_t v = 0;
    for (int k = 0; k < width; ++k) {
      char c = text[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += width;
    *out = v;
    return true;
  };
  auto expect = [&](char c) {
    if (i < text.size() && text[i] == c) { ++i; return true; }
    return false;
  };
  int64_t y, mo, d, h = 0, mi = 0, s = 0, frac = 0;
  if (!number(4, &y) || !expect('-') || !number(2, &mo) || !expect('-') || !number(2, &d)) return bad();
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo))) return bad();
  if (i < text.size() && (text[i] == 'T' || text[i] == ' ')) {
    ++i;
    if (!number(2, &h) || !expect(':') || !number(2, &mi)) return bad();
    if (expect(':')) {
      if (!number(2, &s)) return bad();
      if (expect('.')) {
        int digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
          if (digits < 6) frac = frac * 10 + (text[i] - '0');
          ++digits;
          ++i;
        }
        if (digits == 0) return bad();
        for (int k = digits; k < 6; ++k) frac *= 10;
      }
    }
  }
  if (h > 23 || mi > 59 || s > 60) return bad();
  int64_t offset_minutes = 0;
  if (expect('Z') || expect('z')) {
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int64_t oh, om = 0;
    if (!number(2, &oh)) return bad();
    expect(':');
    if (i < text.size() && !number(2, &om)) return bad();
    if (oh > 23 || om > 59) return bad();
    offset_minutes = sign * (oh * 60 + om);
  }
  if (i != text.size()) return bad();
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return secs * kMicrosPerSecond + frac;
}

}  // namespace mlcost
