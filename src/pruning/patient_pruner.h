// Optuna's PatientPruner: a trial that has not improved for `patience` steps is handed to the
// wrapped pruner (or pruned when there is none).
#ifndef MLCOST_PRUNING_PATIENT_PRUNER_H_
#define MLCOST_PRUNING_PATIENT_PRUNER_H_

#include <cstddef>

#include "mlcost/status.h"
#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// PatientPruner.prune(study, trial): patience, min_delta, wrapped.
Result<Decision> PatientPrune(const Study& study, size_t trial_number, const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_PATIENT_PRUNER_H_
