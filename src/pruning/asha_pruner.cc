#include "pruning/asha_pruner.h"

#include <cmath>

#include "pruning/decision.h"
#include "pruning/numpy_stats.h"

namespace mlcost::pruning {
std::vector<double> AshaMilestones(const PrunerConfig& config) {
  const double rf = config.asha_reduction_factor;
  const double max_rungs = std::log(config.max_t / config.grace_period) / std::log(rf) + 1;
  std::vector<double> milestones;
  const auto n = static_cast<int64_t>(std::trunc(max_rungs));  // Python int()
  for (int64_t k = 0; k < n; ++k) milestones.push_back(config.grace_period * std::pow(rf, k));
  return milestones;
}

std::string AshaRungKey(size_t rung) { return "asha_rung_" + std::to_string(rung); }

Decision AshaPrune(const Study& study, const Trial& trial, const PrunerConfig& config) {
  Decision d;
  const std::optional<int64_t> last_step = trial.LastStep();
  if (!last_step) {
    d.reason = "no value reported yet";
    return d;
  }
  const auto t = static_cast<double>(*last_step);
  if (t >= config.max_t) {
    d.finish = true;
    d.reason = "step " + std::to_string(*last_step) + " reached max_t " + FormatNumber(config.max_t);
    return d;
  }
  const double metric = trial.intermediate_values.at(*last_step);
  const double reward = (study.direction == Direction::kMaximize ? 1.0 : -1.0) * metric;
  const std::vector<double> milestones = AshaMilestones(config);
  for (size_t k = milestones.size(); k-- > 0;) {
    const std::string key = AshaRungKey(k);
    if (t < milestones[k] || trial.system_attrs.contains(key)) continue;
    std::vector<double> recorded;
    for (const Trial& other : study.trials) {
      auto it = other.system_attrs.find(key);
      if (it != other.system_attrs.end()) recorded.push_back(it->second);
    }
    d.system_attrs[key] = reward;
    const std::string rung = "rung " + std::to_string(k) + " (milestone " + FormatNumber(milestones[k]) + ")";
    if (recorded.empty()) {
      d.reason = "first trial at " + rung;
      return d;
    }
    const double q = (1 - 1 / config.asha_reduction_factor) * 100;
    const double cutoff = NanPercentile(std::move(recorded), q);
    d.prune = reward < cutoff;
    d.reason = "reward " + FormatNumber(reward) + (d.prune ? " < " : " >= ") + "cutoff " + FormatNumber(cutoff) +
               " (percentile " + FormatNumber(q) + " of the trials recorded at " + rung + ")";
    return d;
  }
  d.reason = "no new rung reached at step " + std::to_string(*last_step);
  return d;
}

}  // namespace mlcost::pruning
