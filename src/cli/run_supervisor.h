// RunSupervisor: the body of `mlcost run` once its run is open on the server — start the command,
// watch it (checkpoint files, spot preemption notices, the user's signals), decide on restarts,
// and record every attempt under the one run. Every server write after opening goes through the
// event spool, so a server that goes away never slows or stops the job.
#ifndef MLCOST_CLI_RUN_SUPERVISOR_H_
#define MLCOST_CLI_RUN_SUPERVISOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "agent/child_process.h"
#include "agent/event_spool.h"
#include "agent/preemption_watcher.h"
#include "agent/restart_policy.h"
#include "checkpoint/checkpoint_store.h"

namespace mlcost::cli {

struct SupervisorOptions {
  std::vector<std::string> command;  // may contain "{resume}"
  agent::RestartPolicy restart;
  agent::PreemptionOptions preemption;
  int64_t preemption_grace_ms = 25000;  // SIGTERM -> SIGKILL after a preemption notice
  int64_t stop_grace_ms = 30000;        // SIGTERM -> SIGKILL after the user's signal
  int64_t scan_interval_ms = 1000;      // checkpoint directory scans
  int64_t prune_poll_ms = 5000;         // asking the server whether to stop the run; 0 = never
};

// What the supervised job is told, fixed for the run (the resume path changes per attempt).
struct RunIdentity {
  std::string run_id;
  std::string experiment_id;
  std::string tracking_uri;
  std::string checkpoint_dir;  // the job's local MLCOST_CHECKPOINT_DIR
  std::string resume_dir;      // where checkpoints from a remote store are downloaded
};

struct SupervisorResult {
  agent::ExitInfo exit;  // the last attempt's
  agent::AttemptCause cause = agent::AttemptCause::kFailed;
  int attempts = 0;
  int64_t elapsed_ms = 0;  // all attempts and backoffs
  bool started = false;    // false: the command could not be started at all
  Status start_error;      // why, when !started
};

// `argv` with every "{resume}" inside an argument replaced by `resume_path` ("" when none).
std::vector<std::string> SubstituteResume(const std::vector<std::string>& argv, const std::string& resume_path);

class RunSupervisor {
 public:
  // `spool`, `store` must outlive the supervisor; `on_attempt_started(pid)` / `on_attempt_ended()`
  // bracket each attempt (the hardware sampler hooks in there). `first_attempt_open`: the server
  // already has an open attempt (the run was just created or resumed), so attempt 1 opens none.
  RunSupervisor(SupervisorOptions options, RunIdentity identity, agent::EventSpool& spool,
                std::function<void()> notify_spool, checkpoint::CheckpointStore& store);

  std::function<void(pid_t)> on_attempt_started;
  std::function<void()> on_attempt_ended;

  // Runs attempts until one finishes, a cause that is not retried ends one, or restarts run out.
  SupervisorResult Run();

 private:
  // The newest valid checkpoint's local path ("" when none) for the next attempt.
  std::string ResumePath();
  // Watches one started attempt until it ends.
  agent::ExitInfo Watch(agent::ChildProcess& child, agent::EndContext& context, class CheckpointCommitter& committer,
                        agent::PreemptionWatcher& preemption, class PruneWatcher& prune);
  void Spool(const Status& status);

  SupervisorOptions options_;
  RunIdentity identity_;
  agent::EventSpool& spool_;
  std::function<void()> notify_spool_;
  checkpoint::CheckpointStore& store_;
  std::string prune_reason_;  // the server's reason, once it stopped the run
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_SUPERVISOR_H_
