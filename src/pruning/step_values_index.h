// StepValuesIndex: the values the median / percentile pruners compare with, kept ready. For one
// study and metric it holds, per step, the values the COMPLETE trials reported at that step,
// sorted (NaNs counted apart), so a decision reads one percentile instead of every trial.
//
// Invariant: it is exactly the multiset {trial.intermediate_values[step] : trial complete} per
// step, as PercentilePrune() gathers it by scanning. A complete trial's history is frozen (Optuna
// refuses reports to a finished trial), so a trial is added once, when it completes; a trial that
// leaves the complete set (deleted, state changed back) needs a rebuild.
#ifndef MLCOST_PRUNING_STEP_VALUES_INDEX_H_
#define MLCOST_PRUNING_STEP_VALUES_INDEX_H_

#include <cstdint>
#include <map>
#include <vector>

namespace mlcost::pruning {

class StepValuesIndex {
 public:
  // Adds one complete trial's intermediate values: each non-NaN value goes into its step's sorted
  // list (binary search, then a shift: O(log n + n) per step); a NaN is only counted.
  void AddCompleteTrial(const std::map<int64_t, double>& values);

  // Builds the index of many complete trials at once (append, then one sort per step), the same
  // content as AddCompleteTrial() on each. The pointers are read during the call only.
  static StepValuesIndex Build(const std::vector<const std::map<int64_t, double>*>& trials);

  // How many complete trials the index holds.
  int64_t complete_trials() const { return complete_trials_; }
  // How many complete trials reported `step`, NaN included (Optuna's n_min_trials counts them).
  int64_t ReportedAt(int64_t step) const;
  // np.nanpercentile of the complete trials' values at `step` (NaN when none or all NaN), bit
  // for bit NanPercentile() of the scanned values. O(log steps).
  double NanPercentileAt(int64_t step, double percentile) const;
  // Total values held, NaN included (for sizing and tests).
  int64_t value_count() const { return value_count_; }

 private:
  struct StepValues {
    std::vector<double> sorted;  // non-NaN, ascending
    int64_t nan_count = 0;
  };
  std::map<int64_t, StepValues> steps_;
  int64_t complete_trials_ = 0;
  int64_t value_count_ = 0;
};

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_STEP_VALUES_INDEX_H_
