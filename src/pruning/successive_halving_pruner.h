// Optuna's SuccessiveHalvingPruner (asynchronous successive halving), also each bracket of
// HyperbandPruner.
#ifndef MLCOST_PRUNING_SUCCESSIVE_HALVING_PRUNER_H_
#define MLCOST_PRUNING_SUCCESSIVE_HALVING_PRUNER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pruning/decision.h"
#include "pruning/study.h"

namespace mlcost::pruning {

struct SuccessiveHalvingParams {
  std::optional<int64_t> min_resource;  // nullopt: "auto"
  int64_t reduction_factor = 4;
  int64_t min_early_stopping_rate = 0;
  int64_t bootstrap_count = 0;
};

// The system attr Optuna writes when a trial passes rung `rung`: "completed_rung_<rung>".
std::string CompletedRungKey(int64_t rung);

// SuccessiveHalvingPruner.prune(study, trial) where `trials` is what study.get_trials()
// returns (the whole study, or one Hyperband bracket's trials). `trial` is judged at its last
// step against the "completed_rung_<k>" attrs of `trials`; the attrs it earns are returned in
// Decision::system_attrs.
Decision SuccessiveHalvingPrune(Direction direction, const std::vector<const Trial*>& trials,
                                const Trial& trial, const SuccessiveHalvingParams& params);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_SUCCESSIVE_HALVING_PRUNER_H_
