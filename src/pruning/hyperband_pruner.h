// Optuna's HyperbandPruner: trials are hashed into brackets, each bracket is a
// SuccessiveHalvingPruner with its own min_early_stopping_rate that sees only its trials.
#ifndef MLCOST_PRUNING_HYPERBAND_PRUNER_H_
#define MLCOST_PRUNING_HYPERBAND_PRUNER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// The brackets for a resolved max_resource: their trial allocation budgets
// ceil(n_brackets * eta^s / (s + 1)), s = n_brackets - 1 - bracket. Empty when
// floor(log_eta(max_resource / min_resource)) + 1 <= 0 (Optuna then never prunes).
std::vector<int64_t> HyperbandBudgets(int64_t min_resource, int64_t max_resource,
                                      int64_t reduction_factor);

// Optuna's _get_bracket_id: crc32("<study_name>_<trial_number>") % sum(budgets), walked
// through the budgets. `budgets` must not be empty.
size_t HyperbandBracketId(const std::string& study_name, size_t trial_number,
                          const std::vector<int64_t>& budgets);

// HyperbandPruner.prune(study, trial) with a fresh pruner (max_resource "auto" resolved from
// the study now: max last step of COMPLETE trials + 1).
Decision HyperbandPrune(const Study& study, size_t trial_number, const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_HYPERBAND_PRUNER_H_
