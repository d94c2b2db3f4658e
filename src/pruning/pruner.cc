#include "pruning/pruner.h"

#include "pruning/asha_pruner.h"
#include "pruning/hyperband_pruner.h"
#include "pruning/patient_pruner.h"
#include "pruning/percentile_pruner.h"
#include "pruning/successive_halving_pruner.h"
#include "pruning/threshold_pruner.h"

namespace mlcost::pruning {

Result<Decision> Prune(const Study& study, size_t trial_number, const PrunerConfig& config) {
  if (trial_number >= study.trials.size()) {
    return InvalidArgument("trial " + std::to_string(trial_number) + " is not in study '" +
                           study.name + "' (" + std::to_string(study.trials.size()) + " trials)");
  }
  const Trial& trial = study.trials[trial_number];
  switch (config.type) {
    case PrunerType::kMedian:
    case PrunerType::kPercentile: return PercentilePrune(study, trial, config);
    case PrunerType::kSuccessiveHalving: {
      std::vector<const Trial*> all;
      all.reserve(study.trials.size());
      for (const Trial& t : study.trials) all.push_back(&t);
      SuccessiveHalvingParams params{.min_resource = config.min_resource,
                                     .reduction_factor = config.reduction_factor,
                                     .min_early_stopping_rate = config.min_early_stopping_rate,
                                     .bootstrap_count = config.bootstrap_count};
      return SuccessiveHalvingPrune(study.direction, all, trial, params);
    }
    case PrunerType::kHyperband: return HyperbandPrune(study, trial_number, config);
    case PrunerType::kThreshold: return ThresholdPrune(trial, config);
    case PrunerType::kPatient: return PatientPrune(study, trial_number, config);
    case PrunerType::kAsha: return AshaPrune(study, trial, config);
    case PrunerType::kNop: {
      Decision d;
      d.reason = "nop pruner never prunes";
      return d;
    }
  }
  return Decision{};
}

void ApplyDecision(Study& study, size_t trial_number, const Decision& decision) {
  if (trial_number >= study.trials.size()) return;
  for (const auto& [key, value] : decision.system_attrs) {
    study.trials[trial_number].system_attrs[key] = value;
  }
}

}  // namespace mlcost::pruning
