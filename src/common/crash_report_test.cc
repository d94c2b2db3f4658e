#include "common/crash_report.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace mlcost {
namespace {

// Forks a child that installs the report and runs `crash`; returns {its stderr, wait status}.
template <typename Crash>
std::pair<std::string, int> CrashInChild(Crash crash) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    InstallCrashReport();
    crash();
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {out, status};
}

TEST(CrashReportTest, ASegfaultIsReportedWithItsAddressAndABacktraceThenKillsTheProcess) {
  auto [out, status] = CrashInChild([] {
    volatile int* bad = reinterpret_cast<int*>(0xeed64);
    *bad = 1;
  });
  EXPECT_NE(out.find("mlcost: fatal signal 11 (SIGSEGV) in thread "), std::string::npos) << out;
  EXPECT_NE(out.find("at address 0xeed64"), std::string::npos) << out;
  EXPECT_NE(out.find("backtrace:\n"), std::string::npos) << out;
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

TEST(CrashReportTest, AnAbortIsReported) {
  auto [out, status] = CrashInChild([] { abort(); });
  EXPECT_NE(out.find("mlcost: fatal signal 6 (SIGABRT)"), std::string::npos) << out;
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
}

}  // namespace
}  // namespace mlcost
