#include "costs/decimal_convert.h"

#include <algorithm>
#include <cmath>

namespace mlcost::costs {

Decimal DecimalFromDouble(double value) {
  if (!std::isfinite(value)) return Decimal();
  constexpr double kLimit = 1e20;
  const long double micros = std::round(static_cast<long double>(std::clamp(value, -kLimit, kLimit)) * 1e6L);
  return Decimal::FromUnits(static_cast<int128>(micros) * 1000000);
}

}  // namespace mlcost::costs
