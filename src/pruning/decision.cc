#include "pruning/decision.h"

#include <sstream>

namespace mlcost::pruning {

std::string FormatNumber(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

}  // namespace mlcost::pruning
