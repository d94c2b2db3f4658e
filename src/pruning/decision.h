// What a pruner answers for one trial at its latest step.
#ifndef MLCOST_PRUNING_DECISION_H_
#define MLCOST_PRUNING_DECISION_H_

#include <cstdint>
#include <map>
#include <string>

namespace mlcost::pruning {

struct Decision {
  // Optuna's pruner.prune(study, trial); for ASHA, Ray Tune's STOP from a rung cutoff.
  bool prune = false;
  // ASHA only: the step reached max_t, so Ray Tune stops the trial as finished (TERMINATED),
  // not as hopeless. prune stays false; a server should end the run and record it complete.
  bool finish = false;
  // Why, in words, for either answer ("warm-up: step 3 < n_warmup_steps 5", ...).
  std::string reason;
  // Trial system attrs the decision writes (Optuna writes "completed_rung_<k>" even when the
  // trial is then pruned). The caller stores them on the trial (ApplyDecision) before the next
  // decision in the study: later decisions of every trial depend on them.
  std::map<std::string, double> system_attrs;
  // "auto" parameters as this decision resolved them ("min_resource", "max_resource"). Optuna
  // resolves them once per pruner object; mlcost resolves them per decision (as a fresh
  // pruner would), and a caller that wants Optuna's long-lived behaviour can store these.
  std::map<std::string, int64_t> resolved;
};

// A number as the reasons write it: 17 significant digits, so the text round-trips the double.
std::string FormatNumber(double v);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_DECISION_H_
