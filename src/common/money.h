// Money: an exact Decimal amount with its ISO 4217 currency code.
#ifndef MLCOST_COMMON_MONEY_H_
#define MLCOST_COMMON_MONEY_H_

#include <string>

#include "common/decimal.h"

namespace mlcost {

struct Money {
  Decimal amount;
  std::string currency = "USD";

  // Adds `other`; InvalidArgument when the currencies differ (mlcost never converts silently).
  Status Add(const Money& other);
  bool operator==(const Money&) const = default;
};

}  // namespace mlcost

#endif  // MLCOST_COMMON_MONEY_H_
