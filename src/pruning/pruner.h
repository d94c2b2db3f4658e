// Prune(): one pruning decision, equal to Optuna 3.x's pruner.prune(study, trial) for the
// trial's latest reported step (Ray Tune's ASHA on_trial_result for "asha").
#ifndef MLCOST_PRUNING_PRUNER_H_
#define MLCOST_PRUNING_PRUNER_H_

#include <cstddef>

#include "mlcost/status.h"
#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// Decides for trial `trial_number` of `study` (direction = study.direction). Pure: the study is
// not changed; the rung bookkeeping successive halving, hyperband and ASHA keep is returned in
// Decision::system_attrs. InvalidArgument when trial_number is not a trial of the study.
// Thread-safe for concurrent calls on studies nobody modifies meanwhile.
Result<Decision> Prune(const Study& study, size_t trial_number, const PrunerConfig& config);

// Stores decision.system_attrs on the trial, as Optuna's storage does inside prune().
void ApplyDecision(Study& study, size_t trial_number, const Decision& decision);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_PRUNER_H_
