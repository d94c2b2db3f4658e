// The study model the pruners judge: Optuna's Study/FrozenTrial reduced to what a pruning
// decision reads. An mlcost experiment is the study, its runs in creation order are the trials.
#ifndef MLCOST_PRUNING_STUDY_H_
#define MLCOST_PRUNING_STUDY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::pruning {

// Optuna's TrialState minus WAITING (a run exists only once it has started).
enum class TrialState { kRunning, kComplete, kPruned, kFail };

// "better" means smaller for kMinimize, larger for kMaximize.
enum class Direction { kMinimize, kMaximize };

// Parses "running" | "complete" | "pruned" | "fail" (case-sensitive, Optuna's names lower-cased).
Result<TrialState> ParseTrialState(const std::string& name);
// Parses "minimize" | "maximize".
Result<Direction> ParseDirection(const std::string& name);
const char* DirectionName(Direction direction);

struct Trial {
  TrialState state = TrialState::kRunning;
  // step -> reported value; NaN and ±inf are allowed, as in Optuna's trial.report().
  std::map<int64_t, double> intermediate_values;
  // Pruner bookkeeping Optuna keeps in trial system attrs: "completed_rung_<k>" (successive
  // halving / hyperband) and "asha_rung_<k>" (ASHA). Written only through ApplyDecision().
  std::map<std::string, double> system_attrs;

  // The largest reported step, or nullopt when nothing was reported (Optuna's last_step).
  std::optional<int64_t> LastStep() const;

  // Optuna's trial.report(): a negative step is InvalidArgument; a second report at an already
  // reported step is ignored (returns Ok, keeps the first value); steps may arrive out of order.
  Status Report(int64_t step, double value);
};

struct Study {
  std::string name;  // Hyperband hashes "<name>_<trial number>" to pick a trial's bracket
  Direction direction = Direction::kMinimize;
  std::vector<Trial> trials;  // trial number == index == creation order
};

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_STUDY_H_
