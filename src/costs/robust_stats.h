// Order statistics over doubles for the anomaly detector and the forecast. Statistics only: money
// never passes through these (callers convert results back to Decimal before reporting).
#ifndef MLCOST_COSTS_ROBUST_STATS_H_
#define MLCOST_COSTS_ROBUST_STATS_H_

#include <vector>

namespace mlcost::costs {

// The median of `values` (mean of the two middle values for an even count). NaN when empty.
// Reorders `values`.
double MedianInPlace(std::vector<double>& values);

// The q-quantile (0 <= q <= 1) by linear interpolation between order statistics (type 7, the
// default of R and numpy). NaN when empty. Reorders `values`.
double QuantileInPlace(std::vector<double>& values, double q);

// 1.4826 * median absolute deviation from the median: a robust estimate of a normal's sigma.
// NaN when empty. Reorders `values`.
double MadSigmaInPlace(std::vector<double>& values);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_ROBUST_STATS_H_
