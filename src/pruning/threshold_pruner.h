// Optuna's ThresholdPruner: prune when the latest value leaves [lower, upper] or is NaN.
#ifndef MLCOST_PRUNING_THRESHOLD_PRUNER_H_
#define MLCOST_PRUNING_THRESHOLD_PRUNER_H_

#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// ThresholdPruner.prune(study, trial): lower, upper, n_warmup_steps, interval_steps.
Decision ThresholdPrune(const Trial& trial, const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_THRESHOLD_PRUNER_H_
