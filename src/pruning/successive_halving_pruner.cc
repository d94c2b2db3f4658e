#include "pruning/successive_halving_pruner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "pruning/decision.h"

namespace mlcost::pruning {
namespace {

// min_resource * reduction_factor^exponent, or nullopt past int64 (no step reaches it).
std::optional<int64_t> PromotionStep(int64_t min_resource, int64_t reduction_factor,
                                     int64_t exponent) {
  int64_t result = min_resource;
  for (int64_t i = 0; i < exponent; ++i) {
    if (__builtin_mul_overflow(result, reduction_factor, &result)) return std::nullopt;
  }
  return result;
}

std::optional<int64_t> EstimateMinResource(const std::vector<const Trial*>& trials) {
  std::optional<int64_t> max_last_step;
  for (const Trial* t : trials) {
    if (t->state != TrialState::kComplete) continue;
    const std::optional<int64_t> last = t->LastStep();
    if (last && (!max_last_step || *last > *max_last_step)) max_last_step = last;
  }
  if (!max_last_step) return std::nullopt;
  return std::max<int64_t>(*max_last_step / 100, 1);  // steps are >= 0: // is /
}

bool IsPromotable(double value, std::vector<double> competing, int64_t reduction_factor,
                  Direction direction) {
  int64_t promotable_idx = static_cast<int64_t>(competing.size()) / reduction_factor - 1;
  if (promotable_idx == -1) promotable_idx = 0;
  // Python's list.sort() on floats with NaN is not a total order; NaN never reaches here
  // (a NaN value is pruned before recording), but earlier attrs could not be NaN either.
  std::sort(competing.begin(), competing.end());
  if (direction == Direction::kMaximize) {
    return value >= competing[competing.size() - 1 - promotable_idx];
  }
  return value <= competing[promotable_idx];
}

}  // namespace

std::string CompletedRungKey(int64_t rung) { return "completed_rung_" + std::to_string(rung); }

Decision SuccessiveHalvingPrune(Direction direction, const std::vector<const Trial*>& trials,
                                const Trial& trial, const SuccessiveHalvingParams& params) {
  Decision decision;
  const std::optional<int64_t> last_step = trial.LastStep();
  if (!last_step) {
    decision.reason = "no value reported yet";
    return decision;
  }
  const int64_t step = *last_step;
  int64_t rung = 0;
  while (trial.system_attrs.contains(CompletedRungKey(rung))) ++rung;
  const double value = trial.intermediate_values.at(step);
  std::optional<int64_t> min_resource = params.min_resource;
  if (!min_resource) {
    min_resource = EstimateMinResource(trials);
    if (!min_resource) {
      decision.reason = "min_resource \"auto\": no complete trial yet";
      return decision;
    }
    decision.resolved["min_resource"] = *min_resource;
  }
  while (true) {
    const std::optional<int64_t> promotion_step = PromotionStep(
        *min_resource, params.reduction_factor, params.min_early_stopping_rate + rung);
    if (!promotion_step || step < *promotion_step) {
      decision.reason = "step " + std::to_string(step) + " has not reached rung " +
                        std::to_string(rung) + "'s promotion step" +
                        (promotion_step ? " " + std::to_string(*promotion_step) : "");
      return decision;
    }
    if (std::isnan(value)) {
      decision.prune = true;
      decision.reason = "value at step " + std::to_string(step) + " is NaN";
      return decision;
    }
    const std::string rung_key = CompletedRungKey(rung);
    decision.system_attrs[rung_key] = value;
    // `trials` is the snapshot taken before this decision recorded anything, as in Optuna.
    std::vector<double> competing;
    for (const Trial* t : trials) {
      auto it = t->system_attrs.find(rung_key);
      if (it != t->system_attrs.end()) competing.push_back(it->second);
    }
    competing.push_back(value);
    if (static_cast<int64_t>(competing.size()) <= params.bootstrap_count) {
      decision.prune = true;
      decision.reason = "rung " + std::to_string(rung) + " has " +
                        std::to_string(competing.size()) + " values <= bootstrap_count " +
                        std::to_string(params.bootstrap_count);
      return decision;
    }
    const size_t n_competing = competing.size();
    if (!IsPromotable(value, std::move(competing), params.reduction_factor, direction)) {
      decision.prune = true;
      decision.reason = "value " + FormatNumber(value) + " at step " + std::to_string(step) +
                        " is not in the top 1/" + std::to_string(params.reduction_factor) +
                        " of the " + std::to_string(n_competing) + " values at rung " +
                        std::to_string(rung);
      return decision;
    }
    ++rung;
  }
}

}  // namespace mlcost::pruning
