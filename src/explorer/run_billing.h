// The billed cost of a training run: the cost lines of the run's resource (resource_id) whose
// charge period overlaps the run's attempts, each prorated by the fraction of its charge period
// the attempts cover (docs/costs.md, "Runs and the bill").
#ifndef MLCOST_EXPLORER_RUN_BILLING_H_
#define MLCOST_EXPLORER_RUN_BILLING_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "common/time_util.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::explorer {

// The run tags naming the billed resource, tried in order.
inline constexpr const char* kResourceIdTags[] = {"mlcost.resource_id", "mlcost.instance_id"};

struct TimeWindow {
  Micros start = 0;
  Micros end = 0;  // exclusive
};

// One cost line of the resource.
struct BillLine {
  Micros charge_start = 0;
  Micros charge_end = 0;
  std::string currency;
  Decimal billed;
  Decimal effective;
};

struct RunBill {
  int64_t lines = 0;                          // lines overlapping the windows
  std::map<std::string, Decimal> billed;      // currency -> prorated BilledCost
  std::map<std::string, Decimal> effective;   // currency -> prorated EffectiveCost
};

// Sums `lines` over `windows` (non-overlapping attempts): a line counts
// cost * overlap / (charge_end - charge_start), rounded half-to-even to 12 decimals per line
// and window; a line with an empty or inverted charge period counts in full when its start lies
// in a window. Pure; exposed for tests.
RunBill ProrateLines(const std::vector<BillLine>& lines, const std::vector<TimeWindow>& windows);

// Reads the lines of `resource_id` overlapping the envelope of `windows` and prorates them.
// Internal on a store failure.
Result<RunBill> BillForResource(store::Connection& conn, const std::string& resource_id,
                                const std::vector<TimeWindow>& windows);

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_RUN_BILLING_H_
