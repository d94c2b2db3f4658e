// The one door from the detector's double statistics back to Decimal money.
#ifndef MLCOST_COSTS_DECIMAL_CONVERT_H_
#define MLCOST_COSTS_DECIMAL_CONVERT_H_

#include "common/decimal.h"

namespace mlcost::costs {

// `value` rounded to 6 decimals as a Decimal (an estimate, so 6 digits is all it carries).
// NaN and infinities become 0; magnitudes beyond 10^20 are clamped (no cost series reaches them).
Decimal DecimalFromDouble(double value);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_DECIMAL_CONVERT_H_
