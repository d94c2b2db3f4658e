#include "pruning/step_values_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "pruning/numpy_stats.h"

namespace mlcost::pruning {

void StepValuesIndex::AddCompleteTrial(const std::map<int64_t, double>& values) {
  ++complete_trials_;
  for (const auto& [step, value] : values) {
    StepValues& at = steps_[step];
    ++value_count_;
    if (std::isnan(value)) {
      ++at.nan_count;
      continue;
    }
    at.sorted.insert(std::upper_bound(at.sorted.begin(), at.sorted.end(), value), value);
  }
}

StepValuesIndex StepValuesIndex::Build(const std::vector<const std::map<int64_t, double>*>& trials) {
  StepValuesIndex index;
  for (const std::map<int64_t, double>* values : trials) {
    ++index.complete_trials_;
    for (const auto& [step, value] : *values) {
      StepValues& at = index.steps_[step];
      ++index.value_count_;
      if (std::isnan(value)) {
        ++at.nan_count;
      } else {
        at.sorted.push_back(value);
      }
    }
  }
  for (auto& [step, at] : index.steps_) std::sort(at.sorted.begin(), at.sorted.end());
  return index;
}

int64_t StepValuesIndex::ReportedAt(int64_t step) const {
  auto it = steps_.find(step);
  if (it == steps_.end()) return 0;
  return static_cast<int64_t>(it->second.sorted.size()) + it->second.nan_count;
}

double StepValuesIndex::NanPercentileAt(int64_t step, double percentile) const {
  auto it = steps_.find(step);
  if (it == steps_.end()) return std::numeric_limits<double>::quiet_NaN();
  return PercentileOfSorted(it->second.sorted, percentile);
}

}  // namespace mlcost::pruning
