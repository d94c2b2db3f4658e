#include "common/money.h"

namespace mlcost {

Status Money::Add(const Money& other) {
  if (other.currency != currency) {
    return InvalidArgument("cannot add " + other.currency + " to " + currency);
  }
  amount += other.amount;
  return Status::Ok();
}

}  // namespace mlcost
