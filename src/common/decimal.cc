#include "common/decimal.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace mlcost {
namespace {

constexpr int128 Pow10(int n) {
  int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string UnsignedToString(uint128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace

const int128 Decimal::kMaxUnits = Pow10(38) - 1;

int128 DivRoundHalfEven(int128 a, int128 b) {
  int128 q = a / b;
  int128 r = a % b;
  if (r == 0) return q;
  int128 twice = (r < 0 ? -r : r) * 2;
  bool negative = (a < 0) != (b < 0);
  if (twice > b || (twice == b && (q % 2 != 0))) q += negative ? -1 : 1;
  return q;
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidArgument("'" + std::string(text) + "' is not a decimal number: " + why);
  };
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return bad("empty");
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Collect all significant digits and the power of ten they are scaled by.
  std::string digits;
  int exponent = 0;  // value = digits * 10^exponent
  bool seen_point = false, seen_digit = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) --exponent;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return bad("no digits");
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return bad("unexpected character");
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i >= s.size()) return bad("empty exponent");
    int e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return bad("unexpected character in exponent");
      e = e * 10 + (s[i] - '0');
      if (e > 400) return bad("exponent out of range");
    }
    exponent += exp_negative ? -e : e;
  }
  if (digits.empty()) return Decimal();
  // Scale to units of 10^-12: units = digits * 10^(exponent + 12).
  int shift = exponent + kScale;
  if (static_cast<int>(digits.size()) + shift > 38) return bad("more than 38 significant digits");
  int128 units = 0;
  if (shift >= 0) {
    for (char c : digits) units = units * 10 + (c - '0');
    units *= Pow10(shift);
  } else {
    // Digits beyond the 12th fraction digit are rounded half-to-even.
    int keep = static_cast<int>(digits.size()) + shift;
    if (keep < 0) return Decimal();  // far below half a unit
    for (int k = 0; k < keep; ++k) units = units * 10 + (digits[k] - '0');
    std::string_view rest(digits.data() + keep, digits.size() - keep);
    char first = rest.empty() ? '0' : rest.front();
    bool tail_nonzero = rest.size() > 1 && rest.find_first_not_of('0', 1) != std::string_view::npos;
    if (first > '5' || (first == '5' && (tail_nonzero || units % 2 != 0))) units += 1;
  }
  if (units > kMaxUnits) return bad("out of range for DECIMAL(38,12)");
  return Decimal(negative ? -units : units);
}

std::string Decimal::ToFixed(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  int128 v = DivRoundHalfEven(units_, Pow10(kScale - digits));
  bool negative = v < 0;
  uint128 mag = negative ? static_cast<uint128>(-v) : static_cast<uint128>(v);
  std::string s = UnsignedToString(mag);
  if (digits > 0) {
    if (static_cast<int>(s.size()) <= digits) s.insert(0, digits + 1 - s.size(), '0');
    s.insert(s.size() - digits, ".");
  }
  return negative ? "-" + s : s;
}

std::string Decimal::ToString() const {
  std::string s = ToFixed(kScale);
  size_t point = s.find('.');
  size_t last = s.find_last_not_of('0');
  s.erase(last == point ? point : last + 1);
  return s == "-0" ? "0" : s;
}

double Decimal::ToDouble() const { return std::strtod(ToString().c_str(), nullptr); }

Decimal Decimal::Round(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  int128 step = Pow10(kScale - digits);
  return Decimal(DivRoundHalfEven(units_, step) * step);
}

Decimal Decimal::operator*(Decimal o) const {
  int128 product;
  if (__builtin_mul_overflow(units_, o.units_, &product)) {
    std::fprintf(stderr, "mlcost: Decimal multiplication overflow\n");
    std::abort();
  }
  return Decimal(DivRoundHalfEven(product, kOne));
}

Decimal Decimal::DivInt(int64_t n) const { return Decimal(DivRoundHalfEven(units_, n)); }

}  // namespace mlcost
