// SeasonalBaseline: the expected value of an evenly spaced series at a point, from the points
// before it — a recent-level median plus a same-phase (same-weekday) seasonal offset. Shared by
// the anomaly detector (points inside the series) and the month-end forecast (points after it).
#ifndef MLCOST_COSTS_SEASONAL_BASELINE_H_
#define MLCOST_COSTS_SEASONAL_BASELINE_H_

#include <cstdint>
#include <vector>

namespace mlcost::costs {

class SeasonalBaseline {
 public:
  // `period` >= 1 (1 = no seasonal offset), `seasons` >= 1, `level_window` >= 1. Precomputes the
  // level of every point: O(n * level_window).
  SeasonalBaseline(std::vector<double> values, int period, int seasons, int level_window);

  // The expected value at index t, 1 <= t; t may be past the end (a forecast), in which case the
  // level is the one after the last point and the offsets come from the latest seasons that have
  // data. level(t) = median of the level_window points before min(t, size()); offset(t) = median
  // over the `seasons` latest same-phase points u (u = t - j*period, 1 <= u < size()) of
  // x[u] - level(u); 0 when there is none. The result is floored at 0 when no point before t is
  // negative. Thread-safe (const).
  double ExpectedAt(int64_t t) const;

  int64_t size() const { return static_cast<int64_t>(values_.size()); }
  double value(int64_t t) const { return values_[t]; }

 private:
  double LevelAt(int64_t t) const;

  std::vector<double> values_;
  int period_;
  int seasons_;
  std::vector<double> level_;        // level_[t] for 1 <= t <= size(); level_[0] unused
  std::vector<bool> any_negative_;   // any_negative_[t]: some point before t is negative
};

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_SEASONAL_BASELINE_H_
