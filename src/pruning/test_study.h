// Test helper: builds studies the way Optuna's tests do (ask, report, set state).
#ifndef MLCOST_PRUNING_TEST_STUDY_H_
#define MLCOST_PRUNING_TEST_STUDY_H_

#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "pruning/pruner.h"

namespace mlcost::pruning::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

class TestStudy {
 public:
  explicit TestStudy(Direction direction = Direction::kMinimize, std::string name = "study") {
    study_.name = std::move(name);
    study_.direction = direction;
  }
  size_t Ask() {
    study_.trials.emplace_back();
    return study_.trials.size() - 1;
  }
  void Report(size_t trial, double value, int64_t step) {
    (void)study_.trials[trial].Report(step, value);
  }
  void SetState(size_t trial, TrialState state) { study_.trials[trial].state = state; }
  // pruner.prune(study, study._storage.get_trial(id)), then the attrs it wrote are stored.
  bool ShouldPrune(size_t trial, const PrunerConfig& config) {
    Result<Decision> d = Prune(study_, trial, config);
    if (!d.ok()) return false;
    ApplyDecision(study_, trial, d.value());
    return d.value().prune;
  }
  Study& study() { return study_; }

 private:
  Study study_;
};

inline PrunerConfig Config(const std::string& json_text) {
  Result<PrunerConfig> c = ParsePrunerConfig(nlohmann::json::parse(json_text));
  if (!c.ok()) std::abort();
  return std::move(c).value();
}

}  // namespace mlcost::pruning::testing

#endif  // MLCOST_PRUNING_TEST_STUDY_H_
