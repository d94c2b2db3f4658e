// ServerProcess: an `mlcost serve` child process that the benchmark starts and stops itself,
// and TempDir, the fresh data directory it runs on.
#ifndef MLCOST_BENCH_SERVER_PROCESS_H_
#define MLCOST_BENCH_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::bench {

// A directory created empty under $TMPDIR (or /tmp) and removed with its contents on
// destruction unless keep() was called. Not thread-safe.
class TempDir {
 public:
  // Internal if mkdtemp fails.
  static Result<std::unique_ptr<TempDir>> Create(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

// The directory holding the running executable (from /proc/self/exe); "." if unknown.
std::string SelfDir();

// A child process running `binary args...` whose stdout is read through a pipe until EOF by a
// background thread (so the child never blocks on a full pipe); stderr is inherited. The
// child gets SIGTERM if the benchmark dies first (PR_SET_PDEATHSIG). Methods are called from
// one thread; the drain thread only touches state under mu_.
class ServerProcess {
 public:
  // Starts the child and waits up to `ready_timeout` for a stdout line containing
  // "listening on http://HOST:PORT". Returns Unavailable (with the child's last output lines)
  // if the child exits first or the line does not come in time; the child is then stopped.
  static Result<std::unique_ptr<ServerProcess>> Start(const std::string& binary,
                                                      const std::vector<std::string>& args,
                                                      std::chrono::seconds ready_timeout);
  // Calls Stop() if it was not called.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "http://HOST:PORT" as announced by the child.
  const std::string& url() const { return url_; }

  // CPU time (user + system, all threads) the child has used so far, from /proc/PID/stat;
  // -1 if unreadable (e.g. it exited).
  double CpuSeconds() const;

  // False once the child has exited (reaps it). Non-blocking.
  bool Running();

  // Sends SIGTERM, waits up to 15 s (then SIGKILL) and joins the drain thread. OK if the child
  // exited with status 0 or by the SIGTERM; Internal naming the exit code or signal otherwise,
  // including when it had died before Stop(). Idempotent: later calls return the first result.
  Status Stop();

  // The last stdout lines of the child (at most 40), for diagnostics.
  std::string OutputTail() const;

 private:
  ServerProcess(pid_t pid, int stdout_fd);
  void DrainLoop();
  // Records how the child ended; returns its description ("exit 0", "signal 15").
  std::string Reap(int wait_status);

  pid_t pid_;
  int stdout_fd_;
  std::thread drain_;
  std::string url_;
  bool reaped_ = false;
  std::string exit_description_;
  bool clean_exit_ = false;
  bool stop_requested_ = false;
  std::optional<Status> stop_status_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> tail_;  // guarded by mu_
  std::string announced_url_;     // guarded by mu_
  bool eof_ = false;              // guarded by mu_
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_SERVER_PROCESS_H_
