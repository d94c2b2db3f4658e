// What a training run has cost so far: its instance price (from the run's mlcost.* tags and the
// PriceCatalog) times the time its attempts have run.
#ifndef MLCOST_PRICING_RUN_COST_H_
#define MLCOST_PRICING_RUN_COST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "mlcost/records.h"
#include "mlcost/status.h"
#include "pricing/price_catalog.h"

namespace mlcost::pricing {

// The run tags this file reads.
inline constexpr char kTagInstanceType[] = "mlcost.instance_type";
inline constexpr char kTagProvider[] = "mlcost.provider";
inline constexpr char kTagRegion[] = "mlcost.region";
inline constexpr char kTagPricing[] = "mlcost.pricing";
inline constexpr char kTagGpuCount[] = "mlcost.gpu_count";
inline constexpr char kTagAccelerator[] = "mlcost.accelerator";

struct RunCost {
  // True when the run's price is known; then `quote` and `cost_so_far` are meaningful.
  bool known = false;
  // Why the cost is unknown ("no mlcost.instance_type tag", "instance type 'x' not in the price
  // catalog (provider aws); ...", "mlcost.gpu_count 'abc' is not an integer"); "" when known.
  std::string reason;
  PriceQuote quote;
  // Sum over attempts of (end, or `now` while running) - start, each rounded up to a whole second;
  // computed even when the price is unknown.
  int64_t billable_seconds = 0;
  // quote.hourly_price * billable_seconds / 3600, exact, rounded half-to-even to 12 decimals.
  // Zero when unknown.
  Decimal cost_so_far;
};

// Builds the price query a run's tags describe. A later tag with the same key wins. Errors
// (InvalidArgument, message naming the tag and its value): no mlcost.instance_type (and no
// mlcost.accelerator) tag, an mlcost.pricing other than on-demand/ondemand/spot, an
// mlcost.gpu_count that is not a non-negative integer.
Result<PriceQuery> PriceQueryFromTags(const std::vector<KeyValue>& tags);

// Billable whole seconds of `attempts` at `now_ms`: per attempt ceil(((end or now) - start) / 1000
// ms), an attempt that ends before it starts counts 0. Clouds bill VMs per second (AWS and GCP
// with a one-minute minimum per boot, not applied here: see docs/pricing.md).
int64_t BillableSeconds(const std::vector<RunAttempt>& attempts, int64_t now_ms);

// The cost of a run so far. Never fails: what prevents a price is returned in `reason`.
// Thread-safe when `catalog` is not being loaded concurrently.
RunCost ComputeRunCost(const PriceCatalog& catalog, const std::vector<KeyValue>& tags,
                       const std::vector<RunAttempt>& attempts, int64_t now_ms);

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_RUN_COST_H_
