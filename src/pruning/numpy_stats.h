// numpy 1.24's nanpercentile (method "linear"), nanmin and nanmax, reproduced operation for
// operation so that pruning decisions compare bit-for-bit with Optuna's and Ray Tune's.
#ifndef MLCOST_PRUNING_NUMPY_STATS_H_
#define MLCOST_PRUNING_NUMPY_STATS_H_

#include <vector>

namespace mlcost::pruning {

// np.nanpercentile(values, percentile): NaNs are dropped; an empty remainder gives NaN. The
// rank is (n-1)*percentile/100 and the interpolation is numpy's _lerp (a + (b-a)*t, or
// b - (b-a)*(1-t) when t >= 0.5), so ±inf neighbours give NaN exactly as numpy does.
double NanPercentile(std::vector<double> values, double percentile);

// The same computation on values already without NaN and sorted ascending (std::sort order);
// NanPercentile is this after dropping NaNs and sorting, so the two agree bit for bit.
double PercentileOfSorted(const std::vector<double>& sorted, double percentile);

// np.nanmin / np.nanmax: NaN when every value is NaN (or there are none).
double NanMin(const std::vector<double>& values);
double NanMax(const std::vector<double>& values);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_NUMPY_STATS_H_
