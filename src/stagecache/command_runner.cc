#include "stagecache/command_runner.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace mlcost::stagecache {
namespace {

// The running command, for the forwarding handler (one command at a time per process), and the
// last signal forwarded to it (0: none).
volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_forwarded = 0;

void Forward(int sig) {
  const int saved_errno = errno;
  const pid_t child = g_child;
  if (child > 0) {
    g_forwarded = sig;
    ::kill(child, sig);
  }
  errno = saved_errno;
}

// While a command runs: SIGTERM and SIGHUP sent to mlcost are forwarded to it (a scheduler or
// `kill` stops the stage, not only its wrapper); SIGINT and SIGQUIT are ignored, as system()
// does — the terminal sends them to the whole foreground group, the command included, and it
// decides. Restored when the command has ended.
class SignalForwarding {
 public:
  explicit SignalForwarding(pid_t child) {
    g_forwarded = 0;
    g_child = child;
    struct sigaction forward {};
    forward.sa_handler = Forward;
    sigemptyset(&forward.sa_mask);
    forward.sa_flags = SA_RESTART;
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) {
      ::sigaction(kSignals[i], nullptr, &saved_[i]);
      // Ignored already (nohup, a background job): the command inherited that; leave it.
      if (saved_[i].sa_handler == SIG_IGN) continue;
      ::sigaction(kSignals[i], i < 2 ? &forward : &ignore, nullptr);
    }
  }
  ~SignalForwarding() {
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &saved_[i], nullptr);
    g_child = 0;
  }
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

  // Call once waitpid has reaped the command: its pid may be reused, nothing is forwarded to it.
  void ChildReaped() { g_child = 0; }
  // The last signal forwarded to the command, 0 when none was.
  int forwarded() const { return g_forwarded; }

  // Forwarded first, then ignored. The command starts with this process's own dispositions
  // (spawned before they change; an ignored signal stays ignored across exec, as with nohup).
  static constexpr std::array<int, 4> kSignals = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};

 private:
  std::array<struct sigaction, 4> saved_{};
};

}  // namespace

Result<int> RunCommand(const std::vector<std::string>& argv, bool stdout_to_stderr) {
  if (argv.empty()) return InvalidArgument("no command given (put it after --)");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_to_stderr) posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  // The command gets default signal handling even where mlcost ignores one (SIGXFSZ).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGXFSZ);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // A stop signal arriving between the spawn and the forwarding set-up waits (blocked here, not
  // in the command: it starts with the mask it would have had).
  sigset_t stops;
  sigemptyset(&stops);
  for (int sig : SignalForwarding::kSignals) sigaddset(&stops, sig);
  sigset_t before;
  ::pthread_sigmask(SIG_BLOCK, &stops, &before);
  posix_spawnattr_setsigmask(&attr, &before);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    return NotFound("cannot run '" + argv[0] + "': " + std::strerror(rc));
  }
  SignalForwarding forwarding(pid);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Internal(std::string("waitpid: ") + std::strerror(errno));
  }
  forwarding.ChildReaped();
  // A command told to stop that exits 0 anyway (a trap that saves a checkpoint and exits) did not
  // finish its work: the stop is reported, so nothing is cached and the caller sees it.
  if (forwarding.forwarded() != 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return 128 + forwarding.forwarded();
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace mlcost::stagecache
