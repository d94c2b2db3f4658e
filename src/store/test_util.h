// Helpers for the store tests only: a temporary directory and a forked child process that holds a
// resource (a database file, a data-directory lock) until it is killed.
#ifndef MLCOST_STORE_TEST_UTIL_H_
#define MLCOST_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

namespace mlcost::store {

// A fresh directory under the test's temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "mlcost_store_XXXXXX";
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr) << "mkdtemp failed";
    path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Forks a child that runs `body(ready)`. The body acquires what it must hold, calls ready(true)
// (or ready(false) on failure) and then waits forever; the parent kills it with Kill() or on
// destruction. The child never returns into the test framework.
class ChildProcess {
 public:
  using Ready = std::function<void(bool)>;

  explicit ChildProcess(const std::function<void(const Ready&)>& body) {
    int fds[2];
    if (pipe(fds) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[0]);
      body([fd = fds[1]](bool ok) {
        char c = ok ? 'R' : 'F';
        (void)!write(fd, &c, 1);
      });
      for (;;) pause();
    }
    close(fds[1]);
    read_fd_ = fds[0];
    if (pid_ < 0) ADD_FAILURE() << "fork failed";
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    Kill();
    if (read_fd_ >= 0) close(read_fd_);
  }

  // Waits up to 30 s for the body's ready(); true when it reported success.
  bool WaitReady() {
    pollfd p{read_fd_, POLLIN, 0};
    if (poll(&p, 1, 30000) != 1) return false;
    char c = 0;
    return read(read_fd_, &c, 1) == 1 && c == 'R';
  }

  // SIGKILL, as a crash or `kill -9` would, and reaps the child.
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_TEST_UTIL_H_
