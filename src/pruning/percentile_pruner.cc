#include "pruning/percentile_pruner.h"

#include <cmath>
#include <vector>

#include "pruning/decision.h"
#include "pruning/numpy_stats.h"

namespace mlcost::pruning {
namespace {

Decision Make(bool prune, std::string reason) {
  Decision d;
  d.prune = prune;
  d.reason = std::move(reason);
  return d;
}

Decision Keep(std::string reason) { return Make(false, std::move(reason)); }

}  // namespace

bool IsFirstInIntervalStep(int64_t step, const std::map<int64_t, double>& reported,
                           int64_t n_warmup_steps, int64_t interval_steps) {
  // Python's // floors; step >= n_warmup_steps here, so truncation is the same.
  const int64_t nearest_lower_pruning_step =
      (step - n_warmup_steps) / interval_steps * interval_steps + n_warmup_steps;
  // The largest reported step other than `step` (Optuna: the second-last step): the map is
  // ordered, so it is the last key, or the one before it when the last is `step`.
  int64_t second_last_step = -1;
  auto last = reported.rbegin();
  if (last != reported.rend() && last->first == step) ++last;
  if (last != reported.rend()) second_last_step = last->first;
  return second_last_step < nearest_lower_pruning_step;
}

namespace {

// What a decision reads of the complete trials at the judged step.
struct AtStep {
  int64_t reported = 0;  // values at the step, NaN included
  double percentile = 0;  // their np.nanpercentile at the asked q
};

// The pruner after the reference set is known: `n_trials` complete trials, `at_step(step, q)`.
template <typename AtStepFn>
Decision Judge(int64_t n_trials, Direction direction, const Trial& trial, const PrunerConfig& config,
               AtStepFn at_step) {
  if (n_trials == 0) return Keep("no complete trial yet");
  if (n_trials < config.n_startup_trials) {
    return Keep("startup: " + std::to_string(n_trials) + " complete trials < n_startup_trials " +
                std::to_string(config.n_startup_trials));
  }
  const std::optional<int64_t> last_step = trial.LastStep();
  if (!last_step) return Keep("no value reported yet");
  const int64_t step = *last_step;
  if (step < config.n_warmup_steps) {
    return Keep("warm-up: step " + std::to_string(step) + " < n_warmup_steps " +
                std::to_string(config.n_warmup_steps));
  }
  if (!IsFirstInIntervalStep(step, trial.intermediate_values, config.n_warmup_steps,
                             config.interval_steps)) {
    return Keep("step " + std::to_string(step) + " is not a pruning check (interval_steps " +
                std::to_string(config.interval_steps) + ")");
  }
  std::vector<double> own;
  own.reserve(trial.intermediate_values.size());
  for (const auto& [s, v] : trial.intermediate_values) own.push_back(v);
  const bool maximize = direction == Direction::kMaximize;
  const double best = maximize ? NanMax(own) : NanMin(own);
  if (std::isnan(best)) {
    return Make(true, "every reported value of the trial is NaN");
  }
  const double q = maximize ? 100 - config.percentile : config.percentile;
  const AtStep reference = at_step(step, q);
  if (reference.reported < config.n_min_trials) {
    return Keep(std::to_string(reference.reported) + " complete trials reported step " +
                std::to_string(step) + " < n_min_trials " + std::to_string(config.n_min_trials));
  }
  const double p = reference.percentile;
  if (std::isnan(p)) return Keep("the complete trials' values at step " + std::to_string(step) +
                                 " are all NaN");
  const bool prune = maximize ? best < p : best > p;
  std::string what = "best value " + FormatNumber(best) + (prune ? " is worse than" : " is not worse than") +
                     " the " + FormatNumber(config.percentile) + "th percentile " + FormatNumber(p) +
                     " of complete trials at step " + std::to_string(step);
  return Make(prune, std::move(what));
}

}  // namespace

Decision PercentilePrune(const Study& study, const Trial& trial, const PrunerConfig& config) {
  std::vector<const Trial*> completed;
  for (const Trial& t : study.trials) {
    if (t.state == TrialState::kComplete) completed.push_back(&t);
  }
  return Judge(static_cast<int64_t>(completed.size()), study.direction, trial, config,
               [&](int64_t step, double q) {
                 std::vector<double> values;
                 for (const Trial* t : completed) {
                   auto it = t->intermediate_values.find(step);
                   if (it != t->intermediate_values.end()) values.push_back(it->second);
                 }
                 AtStep out;
                 out.reported = static_cast<int64_t>(values.size());
                 out.percentile = NanPercentile(std::move(values), q);
                 return out;
               });
}

Decision PercentilePruneIndexed(const StepValuesIndex& complete, Direction direction, const Trial& trial,
                                const PrunerConfig& config) {
  return Judge(complete.complete_trials(), direction, trial, config, [&](int64_t step, double q) {
    return AtStep{complete.ReportedAt(step), complete.NanPercentileAt(step, q)};
  });
}

}  // namespace mlcost::pruning
