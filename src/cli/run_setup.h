// The pure parts of `mlcost run`: parsing --tag, the child's environment, the summary line.
// Kept apart from run_command.cc (the server calls and process wiring) so they are unit tested.
#ifndef MLCOST_CLI_RUN_SETUP_H_
#define MLCOST_CLI_RUN_SETUP_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "agent/exit_info.h"
#include "agent/restart_policy.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// "key=value" -> {key, value}; the value may contain '=' and be empty. InvalidArgument naming
// `text` when there is no '=' or the key is empty.
Result<std::pair<std::string, std::string>> ParseTagArgument(const std::string& text);

// What the supervised command is told about its run.
struct RunContext {
  std::string run_id;
  std::string experiment_id;
  std::string tracking_uri;    // the server's base URL, "http://127.0.0.1:8080"
  std::string checkpoint_dir;  // absolute path of the run's local checkpoint directory
  std::string resume_from;     // a checkpoint to resume from; "" when there is none
};

// MLCOST_RUN_ID, MLCOST_TRACKING_URI, MLCOST_CHECKPOINT_DIR, MLCOST_RESUME_FROM, and MLflow's
// MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, MLFLOW_EXPERIMENT_ID so MLflow code logs into the same run.
std::vector<std::pair<std::string, std::string>> ChildEnvironment(const RunContext& context);

// The run's MLflow status after an attempt ended with `cause`: FINISHED for finished; KILLED when
// someone stopped it (preempted, interrupted, pruned); FAILED otherwise.
std::string FinalRunStatus(agent::AttemptCause cause);

// "0.25s" under a minute (two decimals), else FormatDuration's "1h 02m 05s".
std::string FormatElapsed(int64_t elapsed_ms);

// The line `mlcost run` prints to stderr at the end, e.g.
// "mlcost run: run 1a2b FAILED (exit 3) after 1.52s, cost 0.0004 USD", with the cause when it
// says more than the status ("KILLED (killed by SIGTERM (signal 15); preempted)") and ", 3
// attempts" after more than one. `run` is the run in the /api/v1 shape (cost from it when it is an
// object, "cost unknown (<cost_reason>)" otherwise) or null when it could not be read (no cost).
std::string RunSummaryLine(const std::string& run_id, agent::AttemptCause cause, const agent::ExitInfo& exit,
                           int attempts, int64_t elapsed_ms, const nlohmann::json& run);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_SETUP_H_
