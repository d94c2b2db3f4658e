#include "pruning/patient_pruner.h"

#include <cmath>
#include <vector>

#include "pruning/decision.h"
#include "pruning/numpy_stats.h"
#include "pruning/pruner.h"

namespace mlcost::pruning {
Result<Decision> PatientPrune(const Study& study, size_t trial_number, const PrunerConfig& config) {
  const Trial& trial = study.trials[trial_number];
  Decision d;
  if (!trial.LastStep()) {
    d.reason = "no value reported yet";
    return d;
  }
  const auto n_steps = static_cast<int64_t>(trial.intermediate_values.size());
  if (n_steps <= config.patience + 1) {
    d.reason = std::to_string(n_steps) + " reported steps <= patience + 1";
    return d;
  }
  // intermediate_values is ordered by step: the first n - (patience + 1) are "before".
  std::vector<double> before;
  std::vector<double> after;
  const int64_t n_before = n_steps - config.patience - 1;
  int64_t i = 0;
  for (const auto& [step, value] : trial.intermediate_values) {
    (i++ < n_before ? before : after).push_back(value);
  }
  bool maybe_prune;
  double best_before;
  double best_after;
  if (study.direction == Direction::kMinimize) {
    best_before = NanMin(before);
    best_after = NanMin(after);
    maybe_prune = best_before + config.min_delta < best_after;
  } else {
    best_before = NanMax(before);
    best_after = NanMax(after);
    maybe_prune = best_before - config.min_delta > best_after;
  }
  if (!maybe_prune) {
    d.reason = "improved within the last " + std::to_string(config.patience + 1) +
               " steps (best " + FormatNumber(best_after) + " vs " + FormatNumber(best_before) + " before)";
    return d;
  }
  const std::string stalled = "no improvement beyond min_delta in the last " +
                              std::to_string(config.patience + 1) + " steps";
  if (!config.wrapped) {
    d.prune = true;
    d.reason = stalled;
    return d;
  }
  ASSIGN_OR_RETURN(Decision inner, Prune(study, trial_number, *config.wrapped));
  inner.reason = stalled + "; wrapped " + PrunerTypeName(config.wrapped->type) + ": " + inner.reason;
  return inner;
}

}  // namespace mlcost::pruning
