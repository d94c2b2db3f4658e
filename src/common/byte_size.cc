#include "common/byte_size.h"

#include <cstdio>
#include <string>

#include "common/ascii.h"
#include "common/decimal.h"  // uint128

namespace mlcost {
namespace {

// A non-negative decimal number "W[.F]" split exactly: value = whole + frac / 10^frac_digits.
struct Number {
  uint64_t whole = 0;
  uint64_t frac = 0;
  uint64_t frac_scale = 1;  // 10^frac_digits
  bool has_point = false;
  size_t length = 0;  // characters used
};

constexpr size_t kMaxFracDigits = 18;

// Reads the number at the start of `text`; false when there is none or it does not fit.
bool ReadNumber(std::string_view text, Number* n) {
  size_t i = 0;
  size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (n->whole > (UINT64_MAX - d) / 10) return false;
    n->whole = n->whole * 10 + d;
  }
  size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    n->has_point = true;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits == kMaxFracDigits) return false;
      n->frac = n->frac * 10 + static_cast<uint64_t>(text[i] - '0');
      n->frac_scale *= 10;
    }
  }
  if (whole_digits + frac_digits == 0) return false;
  n->length = i;
  return true;
}

// floor(n * multiplier), or false when it does not fit 63 (signed) or 64 bits.
bool Scale(const Number& n, uint64_t multiplier, uint64_t limit, uint64_t* out) {
  uint128 v = static_cast<uint128>(n.whole) * multiplier + static_cast<uint128>(n.frac) * multiplier / n.frac_scale;
  if (v > limit) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

// round(n * multiplier), or false when it does not fit 63 bits.
bool ScaleRounded(const Number& n, uint64_t multiplier, uint64_t* out) {
  uint128 frac = static_cast<uint128>(n.frac) * multiplier;
  uint128 v = static_cast<uint128>(n.whole) * multiplier + (frac + n.frac_scale / 2) / n.frac_scale;
  if (v > static_cast<uint128>(INT64_MAX)) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text, ByteSizeSyntax syntax) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("size '" + std::string(text) + "' " + why + " (examples: 500M, 10GiB, 2GB" +
                           (syntax.fractions ? ", 1.5G" : "") + ", 1048576)");
  };
  Number n;
  if (!ReadNumber(text, &n)) {
    if (!text.empty() && text[0] >= '0' && text[0] <= '9') return bad("is too large");
    return bad(syntax.fractions ? "does not start with a number of bytes"
                                : "does not start with a whole number of bytes");
  }
  if (n.has_point && !syntax.fractions) return bad("does not start with a whole number of bytes");
  std::string unit = AsciiLower(text.substr(n.length));
  if (!syntax.decimal_b_units && unit.size() >= 2 && unit.size() <= 3 && unit.back() == 'b' && unit != "kib" &&
      unit != "mib" && unit != "gib" && unit != "tib") {
    unit.pop_back();  // "5MB" = "5M"
  }
  uint64_t multiplier = 0;
  if (unit.empty() || unit == "b") multiplier = 1;
  else if (unit == "k" || unit == "kib") multiplier = 1ull << 10;
  else if (unit == "m" || unit == "mib") multiplier = 1ull << 20;
  else if (unit == "g" || unit == "gib") multiplier = 1ull << 30;
  else if (unit == "t" || unit == "tib") multiplier = 1ull << 40;
  else if (unit == "kb") multiplier = 1000ull;
  else if (unit == "mb") multiplier = 1000ull * 1000;
  else if (unit == "gb") multiplier = 1000ull * 1000 * 1000;
  else if (unit == "tb") multiplier = 1000ull * 1000 * 1000 * 1000;
  else return bad("has an unknown unit '" + std::string(text.substr(n.length)) + "'");
  uint64_t bytes = 0;
  if (!Scale(n, multiplier, UINT64_MAX, &bytes)) return bad("is too large");
  return bytes;
}

std::string FormatByteSize(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

Result<Micros> ParseDuration(std::string_view text, DurationSyntax syntax) {
  std::string units = "s, m, h";
  if (syntax.milliseconds) units = "ms, " + units;
  if (syntax.days_and_weeks) units += ", d, w";
  auto bad = [&](const std::string& why) {
    return InvalidArgument("duration '" + std::string(text) + "' " + why + " (a number and a unit: " + units +
                           (syntax.bare_unit > 0 ? "; or a bare number" : "") + ")");
  };
  Number n;
  if (!ReadNumber(text, &n)) return bad("does not start with a non-negative number");
  std::string_view unit = text.substr(n.length);
  Micros per = 0;
  if (unit.empty()) per = syntax.bare_unit;
  else if (unit == "ms" && syntax.milliseconds) per = 1000;
  else if (unit == "s") per = kMicrosPerSecond;
  else if (unit == "m") per = 60 * kMicrosPerSecond;
  else if (unit == "h") per = 3600 * kMicrosPerSecond;
  else if (unit == "d" && syntax.days_and_weeks) per = 86400 * kMicrosPerSecond;
  else if (unit == "w" && syntax.days_and_weeks) per = 7 * 86400 * kMicrosPerSecond;
  if (per <= 0) return bad(unit.empty() ? "has no unit" : "has an unknown unit '" + std::string(unit) + "'");
  uint64_t micros = 0;
  if (!ScaleRounded(n, static_cast<uint64_t>(per), &micros)) return bad("is too large");
  return static_cast<Micros>(micros);
}

}  // namespace mlcost
