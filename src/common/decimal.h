// Decimal: an exact fixed-point number with 12 fractional digits held in a 128-bit integer,
// the C++ twin of DuckDB's DECIMAL(38,12). Money is never a binary float in mlcost: bill lines
// carry up to ~10 decimals and a million of them must sum exactly.
#ifndef MLCOST_COMMON_DECIMAL_H_
#define MLCOST_COMMON_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost {

// GCC/Clang's 128-bit integers; __extension__ keeps -Wpedantic quiet about them.
__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

class Decimal {
 public:
  static constexpr int kScale = 12;
  // 10^kScale.
  static constexpr int128 kOne = static_cast<int128>(1000000000000LL);
  // Largest magnitude DECIMAL(38,12) holds: 10^38 - 1 units.
  static const int128 kMaxUnits;

  constexpr Decimal() = default;

  // Parses "12", "-0.000001234", "1.5e-7", "+3.", ".5". More than 12 fractional digits round
  // half-to-even. Returns InvalidArgument naming the text on anything else (empty, "NaN",
  // "1,5", overflow past 38 digits).
  static Result<Decimal> Parse(std::string_view text);

  static constexpr Decimal FromUnits(int128 units) { return Decimal(units); }
  static constexpr Decimal FromInt(int64_t v) { return Decimal(static_cast<int128>(v) * kOne); }

  // The raw value in units of 10^-12; what DuckDB's DECIMAL(38,12) hugeint holds.
  constexpr int128 units() const { return units_; }

  // Plain decimal text without exponent; trailing fractional zeros dropped ("1.5", "0", "-2").
  std::string ToString() const;
  // Text with exactly `digits` fractional digits (0..12), rounded half-to-even ("1.50").
  std::string ToFixed(int digits) const;
  // The nearest double, for display or JSON only; never for sums.
  double ToDouble() const;

  // Rounds to `digits` fractional digits, half-to-even (banker's rounding, as FinOps tools do).
  Decimal Round(int digits) const;

  Decimal operator+(Decimal o) const { return Decimal(units_ + o.units_); }
  Decimal operator-(Decimal o) const { return Decimal(units_ - o.units_); }
  Decimal operator-() const { return Decimal(-units_); }
  Decimal& operator+=(Decimal o) { units_ += o.units_; return *this; }
  Decimal& operator-=(Decimal o) { units_ -= o.units_; return *this; }
  // Exact product rounded half-to-even to 12 digits. Aborts on overflow of 128 bits
  // (values beyond ~10^14 times each other), which no price or bill reaches.
  Decimal operator*(Decimal o) const;
  Decimal MulInt(int64_t n) const { return Decimal(units_ * n); }
  // Quotient by a positive integer, rounded half-to-even.
  Decimal DivInt(int64_t n) const;

  auto operator<=>(const Decimal&) const = default;
  bool IsZero() const { return units_ == 0; }

 private:
  explicit constexpr Decimal(int128 units) : units_(units) {}
  int128 units_ = 0;
};

// Divides a by b (b > 0), rounding half-to-even. Exposed for Decimal and its tests.
int128 DivRoundHalfEven(int128 a, int128 b);

}  // namespace mlcost

#endif  // MLCOST_COMMON_DECIMAL_H_
