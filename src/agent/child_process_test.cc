#include "agent/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <optional>
#include <string>

namespace mlcost::agent {
namespace {

ChildSpec Shell(const std::string& script) { return ChildSpec{{"/bin/sh", "-c", script}, {}}; }

TEST(ChildProcessTest, ReportsTheChildsExitCode) {
  auto child = ChildProcess::Start(Shell("exit 3"));
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ExitInfo info = child->Wait();
  EXPECT_TRUE(info.exited);
  EXPECT_EQ(info.code, 3);
}

TEST(ChildProcessTest, ReportsAChildKilledBySigkill) {
  auto child = ChildProcess::Start(Shell("kill -KILL $$"));
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ExitInfo info = child->Wait();
  EXPECT_FALSE(info.exited);
  EXPECT_EQ(info.signal, SIGKILL);
  EXPECT_EQ(info.ShellExitCode(), 128 + SIGKILL);
}

TEST(ChildProcessTest, PassesTheExtraEnvironmentAndKeepsTheRest) {
  setenv("MLCOST_AGENT_TEST_INHERITED", "kept", 1);
  ChildSpec spec = Shell(R"(test "$MLCOST_X" = "a=b c" && test "$MLCOST_AGENT_TEST_INHERITED" = kept)");
  spec.env = {{"MLCOST_X", "a=b c"}};
  auto child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok());
  EXPECT_TRUE(child->Wait().Succeeded());
}

TEST(ChildProcessTest, RunsInItsOwnProcessGroup) {
  // The child exits 0 only if its process group id is its own pid.
  auto child = ChildProcess::Start(Shell(R"sh(test "$(cut -d' ' -f5 /proc/$$/stat)" = "$$")sh"));
  ASSERT_TRUE(child.ok());
  EXPECT_TRUE(child->Wait().Succeeded());
}

// Starts `script` with READY_FD naming a pipe it writes a line to once its traps are set, and
// returns after reading that line, so a signal sent afterwards finds the trap in place.
ChildProcess StartAndAwaitReady(const std::string& script) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  ChildSpec spec = Shell(script);
  spec.env = {{"READY_FD", std::to_string(fds[1])}};
  auto child = ChildProcess::Start(spec);
  EXPECT_TRUE(child.ok());
  close(fds[1]);
  char c;
  EXPECT_EQ(read(fds[0], &c, 1), 1);
  close(fds[0]);
  return std::move(*child);
}

TEST(ChildProcessTest, ForwardsSigtermToAChildThatTrapsIt) {
  ChildProcess child = StartAndAwaitReady(
      R"(trap 'exit 0' TERM; eval "echo ready >&$READY_FD"; while :; do sleep 1; done)");
  ASSERT_EQ(raise(SIGTERM), 0);  // to this process: the supervisor forwards it
  ExitInfo info = child.Wait();
  EXPECT_TRUE(info.Succeeded()) << info.Describe();
}

TEST(ChildProcessTest, ForwardsSigintToTheWholeGroup) {
  ChildProcess child = StartAndAwaitReady(R"(eval "echo ready >&$READY_FD"; while :; do sleep 1; done)");
  ASSERT_EQ(raise(SIGINT), 0);
  ExitInfo info = child.Wait();
  EXPECT_FALSE(info.exited);
  EXPECT_EQ(info.signal, SIGINT);
  EXPECT_EQ(info.ShellExitCode(), 130);
}

TEST(ChildProcessTest, RestoresTheSignalHandlersAfterWait) {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  auto child = ChildProcess::Start(Shell("exit 0"));
  ASSERT_TRUE(child.ok());
  child->Wait();
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST(ChildProcessTest, ACommandThatDoesNotExistIsNotFound) {
  auto child = ChildProcess::Start(ChildSpec{{"mlcost-no-such-command-xyz"}, {}});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(child.status().message(),
            "cannot start \"mlcost-no-such-command-xyz\": No such file or directory");
}

TEST(ChildProcessTest, AnEmptyCommandIsInvalid) {
  auto child = ChildProcess::Start(ChildSpec{});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kInvalidArgument);
}

TEST(ChildProcessTest, WaitForReportsAChildKilledThroughItsGroup) {
  auto child = ChildProcess::Start(Shell("sleep 30"));
  ASSERT_TRUE(child.ok());
  child->SignalGroup(SIGKILL);
  std::optional<ExitInfo> info;
  for (int i = 0; i < 500 && !info; ++i) info = child->WaitFor(100);
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->exited);
  EXPECT_EQ(info->signal, SIGKILL);
}

TEST(ChildProcessTest, WaitForReturnsNothingWhileTheChildIsAlive) {
  auto child = ChildProcess::Start(Shell("sleep 30"));
  ASSERT_TRUE(child.ok());
  EXPECT_FALSE(child->WaitFor(50).has_value());
  EXPECT_EQ(ChildProcess::ForwardedSignal(), 0);
  child->SignalGroup(SIGTERM);
  ExitInfo info = child->Wait();
  EXPECT_EQ(info.signal, SIGTERM);
}

TEST(ChildProcessTest, RemembersASignalForwardedFromTheSupervisor) {
  auto child = ChildProcess::Start(Shell("sleep 30"));
  ASSERT_TRUE(child.ok());
  raise(SIGTERM);  // forwarded to the child's group, not fatal to this process
  ExitInfo info = child->Wait();
  EXPECT_EQ(info.signal, SIGTERM);
  EXPECT_EQ(ChildProcess::ForwardedSignal(), SIGTERM);
}

}  // namespace
}  // namespace mlcost::agent
