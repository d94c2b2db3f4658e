#include "pruning/hyperband_pruner.h"

#include <cmath>

#include "pruning/crc32.h"
#include "pruning/successive_halving_pruner.h"

namespace mlcost::pruning {

std::vector<int64_t> HyperbandBudgets(int64_t min_resource, int64_t max_resource,
                                      int64_t reduction_factor) {
  // Python: math.floor(math.log(max / min, eta)) + 1, math.log(x, b) = log(x) / log(b).
  const double ratio = static_cast<double>(max_resource) / static_cast<double>(min_resource);
  const double n = std::floor(std::log(ratio) / std::log(static_cast<double>(reduction_factor))) + 1;
  std::vector<int64_t> budgets;
  if (!(n > 0)) return budgets;
  const int64_t n_brackets = static_cast<int64_t>(n);
  for (int64_t bracket = 0; bracket < n_brackets; ++bracket) {
    const int64_t s = n_brackets - 1 - bracket;
    // Python: math.ceil(n_brackets * (eta ** s) / (s + 1)), an int product then true division.
    double product = static_cast<double>(n_brackets);
    for (int64_t i = 0; i < s; ++i) product *= static_cast<double>(reduction_factor);
    budgets.push_back(static_cast<int64_t>(std::ceil(product / static_cast<double>(s + 1))));
  }
  return budgets;
}

size_t HyperbandBracketId(const std::string& study_name, size_t trial_number,
                          const std::vector<int64_t>& budgets) {
  int64_t total = 0;
  for (int64_t b : budgets) total += b;
  const std::string key = study_name + "_" + std::to_string(trial_number);
  int64_t n = static_cast<int64_t>(Crc32(key) % static_cast<uint64_t>(total));
  for (size_t bracket = 0; bracket < budgets.size(); ++bracket) {
    n -= budgets[bracket];
    if (n < 0) return bracket;
  }
  return budgets.size() - 1;  // unreachable: n < total
}

Decision HyperbandPrune(const Study& study, size_t trial_number, const PrunerConfig& config) {
  Decision decision;
  std::optional<int64_t> max_resource = config.max_resource;
  if (!max_resource) {
    for (const Trial& t : study.trials) {
      if (t.state != TrialState::kComplete) continue;
      const std::optional<int64_t> last = t.LastStep();
      if (last && (!max_resource || *last + 1 > *max_resource)) max_resource = *last + 1;
    }
    if (!max_resource) {
      decision.reason = "max_resource \"auto\": no complete trial yet";
      return decision;
    }
    decision.resolved["max_resource"] = *max_resource;
  }
  const int64_t min_resource = config.min_resource.value_or(1);
  const std::vector<int64_t> budgets =
      HyperbandBudgets(min_resource, *max_resource, config.reduction_factor);
  if (budgets.empty()) {
    decision.reason = "no bracket: max_resource " + std::to_string(*max_resource) +
                      " is too small for min_resource " + std::to_string(min_resource);
    return decision;
  }
  const size_t bracket = HyperbandBracketId(study.name, trial_number, budgets);
  std::vector<const Trial*> bracket_trials;
  for (size_t i = 0; i < study.trials.size(); ++i) {
    if (HyperbandBracketId(study.name, i, budgets) == bracket) {
      bracket_trials.push_back(&study.trials[i]);
    }
  }
  SuccessiveHalvingParams params{.min_resource = min_resource,
                                 .reduction_factor = config.reduction_factor,
                                 .min_early_stopping_rate = static_cast<int64_t>(bracket),
                                 .bootstrap_count = config.bootstrap_count};
  Decision inner = SuccessiveHalvingPrune(study.direction, bracket_trials,
                                          study.trials[trial_number], params);
  inner.reason = "bracket " + std::to_string(bracket) + " of " + std::to_string(budgets.size()) +
                 ": " + inner.reason;
  inner.resolved.insert(decision.resolved.begin(), decision.resolved.end());
  return inner;
}

}  // namespace mlcost::pruning
