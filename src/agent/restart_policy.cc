#include "agent/restart_policy.h"

#include <signal.h>

namespace mlcost::agent {
namespace {

constexpr int kCannotExecute = 126;
constexpr int kNotFound = 127;

}  // namespace

const char* AttemptCauseName(AttemptCause cause) {
  switch (cause) {
    case AttemptCause::kFinished:
      return "finished";
    case AttemptCause::kFailed:
      return "failed";
    case AttemptCause::kCrashed:
      return "crashed";
    case AttemptCause::kOomKilled:
      return "oom_killed";
    case AttemptCause::kPreempted:
      return "preempted";
    case AttemptCause::kInterrupted:
      return "interrupted";
    case AttemptCause::kPruned:
      return "pruned";
  }
  return "failed";
}

AttemptCause ClassifyEnd(const ExitInfo& exit, const EndContext& context) {
  if (exit.Succeeded() || context.completed) return AttemptCause::kFinished;
  if (context.pruned) return AttemptCause::kPruned;
  if (context.preempted) return AttemptCause::kPreempted;
  if (context.interrupted) return AttemptCause::kInterrupted;
  if (exit.exited) return AttemptCause::kFailed;
  if (exit.signal == SIGKILL && context.oom_kill_seen) return AttemptCause::kOomKilled;
  return AttemptCause::kCrashed;
}

bool RestartPolicy::ShouldRestart(AttemptCause cause, const ExitInfo& exit, int restarts_done) const {
  if (restarts_done >= max_restarts) return false;
  switch (cause) {
    case AttemptCause::kCrashed:
    case AttemptCause::kOomKilled:
      return true;
    case AttemptCause::kFailed:
      if (exit.code == kCannotExecute || exit.code == kNotFound) return false;
      return retry_exit_codes.empty() || retry_exit_codes.count(exit.code) > 0;
    default:
      return false;
  }
}

int64_t RestartPolicy::BackoffMs(int restart) const {
  int64_t wait = backoff_initial_ms < 0 ? 0 : backoff_initial_ms;
  for (int i = 1; i < restart && wait < backoff_max_ms; ++i) wait *= 2;
  return wait > backoff_max_ms ? backoff_max_ms : wait;
}

}  // namespace mlcost::agent
