#include "bench/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mlcost::bench {

namespace {

constexpr size_t kTailLines = 40;
constexpr std::string_view kListening = "listening on http://";

std::string Errno(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

Result<std::unique_ptr<TempDir>> TempDir::Create(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" +
                        prefix + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return Internal(Errno("mkdtemp " + pattern));
  return std::unique_ptr<TempDir>(new TempDir(std::string(buf.data())));
}

TempDir::~TempDir() {
  if (keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SelfDir() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return self.parent_path().string();
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::string& binary,
                                                           const std::vector<std::string>& args,
                                                           std::chrono::seconds ready_timeout) {
  // Everything the child needs is prepared before fork: only async-signal-safe calls follow it.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(binary);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Internal(Errno("pipe2"));
  int dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (dev_null < 0) {
    close(fds[0]);
    close(fds[1]);
    return Internal(Errno("open /dev/null"));
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    close(dev_null);
    return Internal(Errno("fork"));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(126);  // the parent died before prctl
    dup2(dev_null, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    execv(argv[0], argv.data());
    static constexpr char kMsg[] = "mlcost-bench: exec of the server binary failed\n";
    ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    (void)ignored;
    _exit(127);
  }
  close(fds[1]);
  close(dev_null);

  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, fds[0]));
  server->drain_ = std::thread([p = server.get()] { p->DrainLoop(); });
  std::string url;
  {
    std::unique_lock<std::mutex> lock(server->mu_);
    server->cv_.wait_for(lock, ready_timeout,
                         [&] { return !server->announced_url_.empty() || server->eof_; });
    url = server->announced_url_;
  }
  if (url.empty()) {
    bool timed_out = server->Running();
    (void)server->Stop();  // its verdict is in exit_description_
    return Unavailable(std::string("`") + binary + " " +
                       (args.empty() ? std::string() : args.front()) + "` " +
                       (timed_out ? "did not announce \"listening on http://...\" within " +
                                        std::to_string(ready_timeout.count()) + " s"
                                  : "exited before announcing its port (" +
                                        server->exit_description_ + ")") +
                       "; its last stdout lines:" + server->OutputTail());
  }
  server->url_ = std::move(url);
  return server;
}

ServerProcess::ServerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

ServerProcess::~ServerProcess() { (void)Stop(); }

void ServerProcess::DrainLoop() {
  std::string pending;
  char buf[4096];
  for (;;) {
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      std::lock_guard<std::mutex> lock(mu_);
      size_t at = line.find(kListening);
      if (announced_url_.empty() && at != std::string::npos) {
        size_t start = at + kListening.size() - std::string_view("http://").size();
        size_t end = line.find_first_of(" \t\r,;", start);
        std::string url = line.substr(start, end == std::string::npos ? end : end - start);
        while (!url.empty() && (url.back() == '/' || url.back() == '.')) url.pop_back();
        announced_url_ = std::move(url);
        cv_.notify_all();
      }
      tail_.push_back(std::move(line));
      if (tail_.size() > kTailLines) tail_.pop_front();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!pending.empty()) tail_.push_back(pending);
  eof_ = true;
  cv_.notify_all();
}

std::string ServerProcess::Reap(int wait_status) {
  reaped_ = true;
  if (WIFEXITED(wait_status)) {
    exit_description_ = "exit " + std::to_string(WEXITSTATUS(wait_status));
    clean_exit_ = WEXITSTATUS(wait_status) == 0;
  } else if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    exit_description_ = "signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    clean_exit_ = stop_requested_ && sig == SIGTERM;
  }
  return exit_description_;
}

double ServerProcess::CpuSeconds() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may contain spaces; fields are counted after its ')'.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long long utime = -1;
  long long stime = -1;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  if (utime < 0 || stime < 0) return -1;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool ServerProcess::Running() {
  if (reaped_) return false;
  int wait_status = 0;
  pid_t r = waitpid(pid_, &wait_status, WNOHANG);
  if (r == pid_) {
    Reap(wait_status);
    return false;
  }
  return r == 0;
}

Status ServerProcess::Stop() {
  if (stop_status_.has_value()) return *stop_status_;
  bool died_early = !Running();
  bool killed = false;
  if (!reaped_) {
    stop_requested_ = true;
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (Running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!reaped_) {
      killed = true;
      kill(pid_, SIGKILL);
      int wait_status = 0;
      if (waitpid(pid_, &wait_status, 0) == pid_) Reap(wait_status);
    }
  }
  if (drain_.joinable()) drain_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  if (died_early) {
    stop_status_ = Internal("server process died before it was stopped (" + exit_description_ +
                            ")");
  } else if (killed) {
    stop_status_ = Internal("server ignored SIGTERM for 15 s and was killed");
  } else if (!clean_exit_) {
    stop_status_ = Internal("server exited uncleanly on SIGTERM (" + exit_description_ + ")");
  } else {
    stop_status_ = Status::Ok();
  }
  return *stop_status_;
}

std::string ServerProcess::OutputTail() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (tail_.empty()) return "  (none)";
  std::string out;
  for (const std::string& line : tail_) out += "\n  | " + line;
  return out;
}

}  // namespace mlcost::bench
