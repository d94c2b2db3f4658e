#include "pruning/threshold_pruner.h"

#include <cmath>

#include "pruning/decision.h"
#include "pruning/percentile_pruner.h"

namespace mlcost::pruning {
Decision ThresholdPrune(const Trial& trial, const PrunerConfig& config) {
  Decision d;
  const std::optional<int64_t> last_step = trial.LastStep();
  if (!last_step) {
    d.reason = "no value reported yet";
    return d;
  }
  const int64_t step = *last_step;
  if (step < config.n_warmup_steps) {
    d.reason = "warm-up: step " + std::to_string(step) + " < n_warmup_steps " +
               std::to_string(config.n_warmup_steps);
    return d;
  }
  if (!IsFirstInIntervalStep(step, trial.intermediate_values, config.n_warmup_steps,
                             config.interval_steps)) {
    d.reason = "step " + std::to_string(step) + " is not a pruning check (interval_steps " +
               std::to_string(config.interval_steps) + ")";
    return d;
  }
  const double latest = trial.intermediate_values.at(step);
  const std::string at = " at step " + std::to_string(step);
  if (std::isnan(latest)) {
    d.prune = true;
    d.reason = "value" + at + " is NaN";
  } else if (latest < config.lower) {
    d.prune = true;
    d.reason = "value " + FormatNumber(latest) + at + " < lower " + FormatNumber(config.lower);
  } else if (latest > config.upper) {
    d.prune = true;
    d.reason = "value " + FormatNumber(latest) + at + " > upper " + FormatNumber(config.upper);
  } else {
    d.reason = "value " + FormatNumber(latest) + at + " is within the thresholds";
  }
  return d;
}

}  // namespace mlcost::pruning
