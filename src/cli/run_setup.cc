#include "cli/run_setup.h"

#include <cstdio>

#include "cli/api_queries.h"
#include "cli/run_format.h"

namespace mlcost::cli {

Result<std::pair<std::string, std::string>> ParseTagArgument(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidArgument("--tag '" + text + "' is not KEY=VALUE");
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

std::vector<std::pair<std::string, std::string>> ChildEnvironment(const RunContext& context) {
  return {
      {"MLCOST_RUN_ID", context.run_id},
      {"MLCOST_TRACKING_URI", context.tracking_uri},
      {"MLCOST_CHECKPOINT_DIR", context.checkpoint_dir},
      {"MLCOST_RESUME_FROM", context.resume_from},
      {"MLFLOW_TRACKING_URI", context.tracking_uri},
      {"MLFLOW_RUN_ID", context.run_id},
      {"MLFLOW_EXPERIMENT_ID", context.experiment_id},
  };
}

std::string FinalRunStatus(agent::AttemptCause cause) {
  switch (cause) {
    case agent::AttemptCause::kFinished:
      return "FINISHED";
    case agent::AttemptCause::kPreempted:
    case agent::AttemptCause::kInterrupted:
    case agent::AttemptCause::kPruned:
      return "KILLED";
    default:
      return "FAILED";
  }
}

std::string FormatElapsed(int64_t elapsed_ms) {
  if (elapsed_ms < 0) elapsed_ms = 0;
  if (elapsed_ms >= 60000) return FormatDuration(elapsed_ms / 1000);
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02llds", static_cast<long long>(elapsed_ms / 1000),
                static_cast<long long>(elapsed_ms % 1000 / 10));
  return text;
}

std::string RunSummaryLine(const std::string& run_id, agent::AttemptCause cause, const agent::ExitInfo& exit,
                           int attempts, int64_t elapsed_ms, const nlohmann::json& run) {
  bool plain = cause == agent::AttemptCause::kFinished || cause == agent::AttemptCause::kFailed ||
               cause == agent::AttemptCause::kCrashed;
  std::string line = "mlcost run: run " + run_id + " " + FinalRunStatus(cause) + " (" + exit.Describe() +
                     (plain ? std::string() : std::string("; ") + agent::AttemptCauseName(cause)) + ") after " +
                     FormatElapsed(elapsed_ms);
  if (attempts > 1) line += ", " + std::to_string(attempts) + " attempts";
  if (run.is_null()) return line;
  nlohmann::json cost = Field(run, "cost");
  if (cost.is_object()) {
    return line + ", cost " + TrimMoney(JsonString(cost, "cost_so_far")) + " " + JsonString(cost, "currency");
  }
  std::string reason = JsonString(run, "cost_reason");
  return line + ", cost unknown" + (reason.empty() ? std::string() : " (" + reason + ")");
}

}  // namespace mlcost::cli
