#include "agent/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace mlcost::agent {
namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};

volatile sig_atomic_t g_child_pgid = 0;
volatile sig_atomic_t g_forwarded = 0;
struct sigaction g_previous[3];

void ForwardSignal(int sig) {
  int saved = errno;
  pid_t pgid = g_child_pgid;
  g_forwarded = sig;
  if (pgid > 0) kill(-pgid, sig);
  errno = saved;
}

void InstallForwarding(pid_t pgid) {
  g_child_pgid = pgid;
  g_forwarded = 0;
  struct sigaction sa {};
  sa.sa_handler = ForwardSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) sigaction(kForwarded[i], &sa, &g_previous[i]);
}

void RestoreSignals() {
  g_child_pgid = 0;  // first: the reaped child's group id may be reused
  for (int i = 0; i < 3; ++i) sigaction(kForwarded[i], &g_previous[i], nullptr);
}

// NAME=VALUE strings: this process's environment with `extra` set on top, in a stable order.
std::vector<std::string> MergedEnvironment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : extra) merged[name] = value;
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [name, value] : merged) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<ChildProcess> ChildProcess::Start(const ChildSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) return InvalidArgument("no command to run");
  // Everything the child needs is built before fork: the supervisor may have threads (an
  // in-process server), so the child calls only async-signal-safe functions before exec.
  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = MergedEnvironment(spec.env);
  std::vector<char*> argv = Pointers(args);
  std::vector<char*> envp = Pointers(env);

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return Internal(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(report[0]);
    close(report[1]);
    return Internal(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    close(report[0]);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : kForwarded) signal(sig, SIG_DFL);
    execvpe(argv[0], argv.data(), envp.data());
    int err = errno;
    ssize_t ignored = write(report[1], &err, sizeof err);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before a signal is forwarded to it
  close(report[1]);
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(report[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string message = "cannot start \"" + spec.argv[0] + "\": " + std::strerror(exec_errno);
    if (exec_errno == ENOENT) return NotFound(message);
    return Internal(message);
  }
  InstallForwarding(pid);
  // -1 where pidfd_open is missing (kernels before 5.3): WaitFor then polls waitpid.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  return ChildProcess(pid, pidfd);
}

ChildProcess::~ChildProcess() {
  if (pidfd_ >= 0) close(pidfd_);
}

ExitInfo ChildProcess::Finish(int wait_status, bool reaped) {
  RestoreSignals();
  if (pidfd_ >= 0) close(pidfd_);
  pidfd_ = -1;
  pid_t pid = std::exchange(pid_, -1);
  (void)pid;
  if (!reaped) {
    ExitInfo lost;
    lost.exited = true;
    lost.code = 1;
    return lost;
  }
  return DecodeWaitStatus(wait_status);
}

ExitInfo ChildProcess::Wait() {
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &status, 0);
  } while (got < 0 && errno == EINTR);
  return Finish(status, got >= 0);
}

std::optional<ExitInfo> ChildProcess::WaitFor(int64_t timeout_ms) {
  constexpr int64_t kPollStepMs = 20;
  auto try_reap = [this]() -> std::optional<ExitInfo> {
    int status = 0;
    pid_t got;
    do {
      got = waitpid(pid_, &status, WNOHANG);
    } while (got < 0 && errno == EINTR);
    if (got == 0) return std::nullopt;
    return Finish(status, got > 0);
  };
  if (pidfd_ >= 0) {
    pollfd fd{pidfd_, POLLIN, 0};
    // Readable once the child has ended; a timeout or EINTR still checks once.
    poll(&fd, 1, static_cast<int>(timeout_ms < 0 ? 0 : timeout_ms));
    return try_reap();
  }
  for (int64_t waited = 0;; waited += kPollStepMs) {
    if (auto done = try_reap()) return done;
    if (waited >= timeout_ms) return std::nullopt;
    usleep(kPollStepMs * 1000);
  }
}

void ChildProcess::SignalGroup(int sig) const {
  if (pid_ > 0) kill(-pid_, sig);
}

int ChildProcess::ForwardedSignal() { return g_forwarded; }

}  // namespace mlcost::agent
