// RestartPolicy: why an attempt of a supervised job ended, and whether `mlcost run` starts another.
//
// Causes (recorded as the attempt's end_cause on the server):
//   finished    exit 0
//   failed      a non-zero exit code
//   crashed     killed by a signal nobody here sent (SIGSEGV, SIGABRT, SIGKILL from outside, ...)
//   oom_killed  killed by SIGKILL while the kernel's OOM killer fired in our cgroup
//   preempted   the cloud announced a spot preemption and the agent stopped the job
//   interrupted the user stopped `mlcost run` (SIGINT / SIGTERM / SIGHUP forwarded to the job)
//   pruned      the server decided to stop the run
// Restarted (while restarts are left): failed (all codes, or only --retry-on-exit codes), crashed,
// oom_killed. Never restarted: finished, interrupted, pruned, preempted (the machine is going
// away; continue elsewhere with --resume), and exit codes 126 / 127 (the command cannot run).
#ifndef MLCOST_AGENT_RESTART_POLICY_H_
#define MLCOST_AGENT_RESTART_POLICY_H_

#include <cstdint>
#include <set>
#include <string>

#include "agent/exit_info.h"

namespace mlcost::agent {

enum class AttemptCause { kFinished, kFailed, kCrashed, kOomKilled, kPreempted, kInterrupted, kPruned };

// "finished", "failed", "crashed", "oom_killed", "preempted", "interrupted", "pruned".
const char* AttemptCauseName(AttemptCause cause);

// What the supervisor knew when the attempt ended, besides the exit status.
struct EndContext {
  bool preempted = false;    // a preemption notice arrived and the agent stopped the job
  bool interrupted = false;  // the user's signal was forwarded to the job
  bool pruned = false;       // the server asked for the run to stop
  bool completed = false;    // the server ended the run because it used its whole budget (ASHA max_t)
  bool oom_kill_seen = false;  // the cgroup's oom_kill counter grew during the attempt
};

// The cause, in this priority: finished (the job succeeded, or the server ended it as complete),
// pruned, preempted, interrupted (each only when the job did not succeed anyway), then
// oom_killed / crashed / failed from `exit`.
AttemptCause ClassifyEnd(const ExitInfo& exit, const EndContext& context);

struct RestartPolicy {
  int max_restarts = 0;                 // restarts after the first attempt; 0 = never restart
  int64_t backoff_initial_ms = 1000;    // wait before the first restart
  int64_t backoff_max_ms = 60000;       // the doubling stops here
  std::set<int> retry_exit_codes;       // empty = every non-zero code except 126 and 127

  // Whether attempt number `restarts_done + 1` ended with `cause` / `exit` earns another.
  bool ShouldRestart(AttemptCause cause, const ExitInfo& exit, int restarts_done) const;
  // The wait before restart number `restart` (1-based): initial * 2^(restart-1), capped at max.
  int64_t BackoffMs(int restart) const;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_RESTART_POLICY_H_
