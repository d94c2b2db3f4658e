// Ray Tune's ASHAScheduler (AsyncHyperBandScheduler with brackets=1) as a pruner. The trial's
// step is Ray's time_attr; the rung records Ray keeps in memory are trial system attrs
// "asha_rung_<k>" (k = rung index from the lowest milestone, value = the signed reward:
// +metric for maximize, -metric for minimize).
#ifndef MLCOST_PRUNING_ASHA_PRUNER_H_
#define MLCOST_PRUNING_ASHA_PRUNER_H_

#include <string>
#include <vector>

#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"

namespace mlcost::pruning {

// The milestones grace_period * reduction_factor^k, k = 0 .. MAX_RUNGS-1, ascending, with
// MAX_RUNGS = int(log(max_t / grace_period) / log(reduction_factor) + 1).
std::vector<double> AshaMilestones(const PrunerConfig& config);

std::string AshaRungKey(size_t rung);

// on_trial_result for the trial's latest step: finish when step >= max_t; otherwise the
// highest milestone <= step this trial has no record at is judged: prune iff the reward is
// below the nanpercentile (1 - 1/reduction_factor) * 100 of the other trials' records there;
// the reward is recorded either way (Decision::system_attrs).
Decision AshaPrune(const Study& study, const Trial& trial, const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_ASHA_PRUNER_H_
