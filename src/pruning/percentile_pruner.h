// Optuna's PercentilePruner (and MedianPruner = percentile 50) and the warm-up/interval gate
// it shares with ThresholdPruner.
#ifndef MLCOST_PRUNING_PERCENTILE_PRUNER_H_
#define MLCOST_PRUNING_PERCENTILE_PRUNER_H_

#include <cstdint>
#include <map>

#include "pruning/decision.h"
#include "pruning/step_values_index.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// Optuna's _is_first_in_interval_step: true when `step` is the first report at or after the
// latest pruning point n_warmup_steps + k * interval_steps. Requires step >= n_warmup_steps.
bool IsFirstInIntervalStep(int64_t step, const std::map<int64_t, double>& reported,
                           int64_t n_warmup_steps, int64_t interval_steps);

// PercentilePruner.prune(study, trial): config.percentile, n_startup_trials, n_warmup_steps,
// interval_steps, n_min_trials. The reference set is the COMPLETE trials' values at the same step.
Decision PercentilePrune(const Study& study, const Trial& trial, const PrunerConfig& config);

// The same decision with the complete trials read from `complete` (their values per step,
// step_values_index.h) instead of scanning a study: equal to PercentilePrune() whenever `complete`
// holds exactly the study's complete trials. `trial` is the judged one (running: not in `complete`).
Decision PercentilePruneIndexed(const StepValuesIndex& complete, Direction direction, const Trial& trial,
                                const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_PERCENTILE_PRUNER_H_
