#include "pruning/study.h"

namespace mlcost::pruning {

Result<TrialState> ParseTrialState(const std::string& name) {
  if (name == "running") return TrialState::kRunning;
  if (name == "complete") return TrialState::kComplete;
  if (name == "pruned") return TrialState::kPruned;
  if (name == "fail") return TrialState::kFail;
  return InvalidArgument("unknown trial state '" + name +
                         "': expected running, complete, pruned or fail");
}

Result<Direction> ParseDirection(const std::string& name) {
  if (name == "minimize") return Direction::kMinimize;
  if (name == "maximize") return Direction::kMaximize;
  return InvalidArgument("unknown direction '" + name + "': expected minimize or maximize");
}

const char* DirectionName(Direction direction) {
  return direction == Direction::kMaximize ? "maximize" : "minimize";
}

std::optional<int64_t> Trial::LastStep() const {
  if (intermediate_values.empty()) return std::nullopt;
  return intermediate_values.rbegin()->first;
}

Status Trial::Report(int64_t step, double value) {
  if (step < 0) {
    return InvalidArgument("The `step` argument is " + std::to_string(step) +
                           " but cannot be negative.");
  }
  intermediate_values.emplace(step, value);  // emplace keeps an existing step's first value
  return Status::Ok();
}

}  // namespace mlcost::pruning
