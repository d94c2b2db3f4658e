#include "agent/restart_policy.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace mlcost::agent {
namespace {

ExitInfo Exited(int code) {
  ExitInfo e;
  e.exited = true;
  e.code = code;
  return e;
}

ExitInfo Killed(int sig) {
  ExitInfo e;
  e.signal = sig;
  return e;
}

TEST(ClassifyEndTest, ExitStatusAloneGivesFinishedFailedCrashed) {
  EXPECT_EQ(ClassifyEnd(Exited(0), {}), AttemptCause::kFinished);
  EXPECT_EQ(ClassifyEnd(Exited(3), {}), AttemptCause::kFailed);
  EXPECT_EQ(ClassifyEnd(Killed(SIGSEGV), {}), AttemptCause::kCrashed);
  EXPECT_EQ(ClassifyEnd(Killed(SIGKILL), {}), AttemptCause::kCrashed);
}

TEST(ClassifyEndTest, OomOnlyForSigkillWithTheCounterGrown) {
  EndContext oom;
  oom.oom_kill_seen = true;
  EXPECT_EQ(ClassifyEnd(Killed(SIGKILL), oom), AttemptCause::kOomKilled);
  EXPECT_EQ(ClassifyEnd(Killed(SIGSEGV), oom), AttemptCause::kCrashed);
  EXPECT_EQ(ClassifyEnd(Exited(1), oom), AttemptCause::kFailed);
}

TEST(ClassifyEndTest, SupervisorKnowledgeWinsUnlessTheJobSucceeded) {
  EndContext preempted;
  preempted.preempted = true;
  EXPECT_EQ(ClassifyEnd(Killed(SIGTERM), preempted), AttemptCause::kPreempted);
  EXPECT_EQ(ClassifyEnd(Exited(0), preempted), AttemptCause::kFinished);
  EndContext interrupted;
  interrupted.interrupted = true;
  EXPECT_EQ(ClassifyEnd(Exited(130), interrupted), AttemptCause::kInterrupted);
  EndContext pruned;
  pruned.pruned = true;
  pruned.preempted = true;
  EXPECT_EQ(ClassifyEnd(Killed(SIGTERM), pruned), AttemptCause::kPruned);
  // The server ended the run as complete (ASHA's max_t): finished, whatever the signal did.
  EndContext completed;
  completed.completed = true;
  EXPECT_EQ(ClassifyEnd(Killed(SIGTERM), completed), AttemptCause::kFinished);
  EXPECT_EQ(ClassifyEnd(Exited(143), completed), AttemptCause::kFinished);
}

TEST(RestartPolicyTest, RestartsRetryableCausesWhileRestartsAreLeft) {
  RestartPolicy policy;
  policy.max_restarts = 2;
  EXPECT_TRUE(policy.ShouldRestart(AttemptCause::kFailed, Exited(1), 0));
  EXPECT_TRUE(policy.ShouldRestart(AttemptCause::kCrashed, Killed(SIGKILL), 1));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kCrashed, Killed(SIGKILL), 2));
  EXPECT_TRUE(policy.ShouldRestart(AttemptCause::kOomKilled, Killed(SIGKILL), 0));
}

TEST(RestartPolicyTest, NeverRestartsFinishedInterruptedPrunedPreemptedOrUnrunnable) {
  RestartPolicy policy;
  policy.max_restarts = 5;
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kFinished, Exited(0), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kInterrupted, Killed(SIGINT), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kPruned, Killed(SIGTERM), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kPreempted, Killed(SIGTERM), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kFailed, Exited(127), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kFailed, Exited(126), 0));
}

TEST(RestartPolicyTest, RetryExitCodesRestrictFailuresOnly) {
  RestartPolicy policy;
  policy.max_restarts = 1;
  policy.retry_exit_codes = {75};
  EXPECT_TRUE(policy.ShouldRestart(AttemptCause::kFailed, Exited(75), 0));
  EXPECT_FALSE(policy.ShouldRestart(AttemptCause::kFailed, Exited(1), 0));
  EXPECT_TRUE(policy.ShouldRestart(AttemptCause::kCrashed, Killed(SIGSEGV), 0));
}

TEST(RestartPolicyTest, BackoffDoublesUpToTheCap) {
  RestartPolicy policy;
  policy.backoff_initial_ms = 500;
  policy.backoff_max_ms = 3000;
  EXPECT_EQ(policy.BackoffMs(1), 500);
  EXPECT_EQ(policy.BackoffMs(2), 1000);
  EXPECT_EQ(policy.BackoffMs(3), 2000);
  EXPECT_EQ(policy.BackoffMs(4), 3000);
  EXPECT_EQ(policy.BackoffMs(40), 3000);
  policy.backoff_initial_ms = 0;
  EXPECT_EQ(policy.BackoffMs(3), 0);
}

}  // namespace
}  // namespace mlcost::agent
