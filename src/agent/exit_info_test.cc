#include "agent/exit_info.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mlcost::agent {
namespace {

// A real wait status from a real child, so the test does not restate the decoding.
int StatusOf(void (*body)()) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(99);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(ExitInfoTest, DecodesAnExitCode) {
  ExitInfo info = DecodeWaitStatus(StatusOf([] { _exit(3); }));
  EXPECT_TRUE(info.exited);
  EXPECT_EQ(info.code, 3);
  EXPECT_FALSE(info.Succeeded());
  EXPECT_EQ(info.ShellExitCode(), 3);
  EXPECT_EQ(info.Describe(), "exit 3");
}

TEST(ExitInfoTest, ZeroSucceeds) {
  ExitInfo info = DecodeWaitStatus(StatusOf([] { _exit(0); }));
  EXPECT_TRUE(info.Succeeded());
  EXPECT_EQ(info.ShellExitCode(), 0);
}

TEST(ExitInfoTest, DecodesATerminatingSignal) {
  ExitInfo info = DecodeWaitStatus(StatusOf([] { raise(SIGKILL); }));
  EXPECT_FALSE(info.exited);
  EXPECT_EQ(info.signal, SIGKILL);
  EXPECT_FALSE(info.Succeeded());
  EXPECT_EQ(info.ShellExitCode(), 137);
  EXPECT_EQ(info.Describe(), "killed by SIGKILL (signal 9)");
}

}  // namespace
}  // namespace mlcost::agent
