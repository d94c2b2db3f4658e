// ChildProcess: the supervised command of `mlcost run`. Started with fork/exec in its own process
// group, with extra environment variables; SIGINT, SIGTERM and SIGHUP sent to the supervisor until
// the child is reaped are forwarded to the child's whole process group.
#ifndef MLCOST_AGENT_CHILD_PROCESS_H_
#define MLCOST_AGENT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/exit_info.h"
#include "mlcost/status.h"

namespace mlcost::agent {

struct ChildSpec {
  // argv[0] is looked up on PATH (execvp). Must not be empty.
  std::vector<std::string> argv;
  // Set (or overwritten) in the child's environment on top of the supervisor's own.
  std::vector<std::pair<std::string, std::string>> env;
};

class ChildProcess {
 public:
  // Forks and execs `spec`. The child gets its own process group (pgid = its pid). Returns:
  // InvalidArgument for an empty argv; NotFound "cannot start \"CMD\": No such file or directory"
  // when exec fails with ENOENT, Internal with strerror for another exec or fork failure (the
  // exec error is reported back through a close-on-exec pipe, so Start knows before returning;
  // a child whose exec failed has been reaped). On success, SIGINT/SIGTERM/SIGHUP of this process
  // are forwarded to the child's process group from here until Wait returns.
  static Result<ChildProcess> Start(const ChildSpec& spec);

  ChildProcess(ChildProcess&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), pidfd_(std::exchange(other.pidfd_, -1)) {}
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  // Does not kill or reap the child; call Wait.
  ~ChildProcess();

  pid_t pid() const { return pid_; }

  // Blocks until the child ends and returns how, then restores the signal handlers Start replaced.
  // Call once; only one ChildProcess may be alive (started and not yet waited for) at a time.
  ExitInfo Wait();

  // Waits at most `timeout_ms` for the child to end: its ExitInfo (reaped, signal handlers
  // restored, as Wait) or nullopt while it still runs. Uses a pidfd where the kernel has them.
  std::optional<ExitInfo> WaitFor(int64_t timeout_ms);

  // Sends `sig` to the child's whole process group (no-op once reaped).
  void SignalGroup(int sig) const;

  // The last signal the supervisor received and forwarded since Start (0 = none): the user
  // interrupted the job.
  static int ForwardedSignal();

 private:
  ChildProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  ExitInfo Finish(int wait_status, bool reaped);

  pid_t pid_;
  int pidfd_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_CHILD_PROCESS_H_
