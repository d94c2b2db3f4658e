#include "cli/run_setup.h"

#include <gtest/gtest.h>

#include <map>

namespace mlcost::cli {
namespace {

agent::ExitInfo Exited(int code) {
  agent::ExitInfo info;
  info.exited = true;
  info.code = code;
  return info;
}

agent::ExitInfo Killed(int signal) {
  agent::ExitInfo info;
  info.signal = signal;
  return info;
}

TEST(RunSetupTest, ParsesTags) {
  auto tag = ParseTagArgument("team=vision");
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->first, "team");
  EXPECT_EQ(tag->second, "vision");
  auto with_equals = ParseTagArgument("expr=a=b");
  ASSERT_TRUE(with_equals.ok());
  EXPECT_EQ(with_equals->second, "a=b");
  auto empty_value = ParseTagArgument("k=");
  ASSERT_TRUE(empty_value.ok());
  EXPECT_EQ(empty_value->second, "");
}

TEST(RunSetupTest, RefusesATagWithoutKeyOrEquals) {
  auto no_equals = ParseTagArgument("team");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_equals.status().message().find("'team'"), std::string::npos);
  EXPECT_FALSE(ParseTagArgument("=v").ok());
}

TEST(RunSetupTest, TheChildLearnsItsRunUnderBothNames) {
  RunContext context{"r1", "7", "http://127.0.0.1:9", "/tmp/ck/r1", ""};
  std::map<std::string, std::string> env;
  for (const auto& [name, value] : ChildEnvironment(context)) env[name] = value;
  EXPECT_EQ(env["MLCOST_RUN_ID"], "r1");
  EXPECT_EQ(env["MLFLOW_RUN_ID"], "r1");
  EXPECT_EQ(env["MLCOST_TRACKING_URI"], "http://127.0.0.1:9");
  EXPECT_EQ(env["MLFLOW_TRACKING_URI"], "http://127.0.0.1:9");
  EXPECT_EQ(env["MLFLOW_EXPERIMENT_ID"], "7");
  EXPECT_EQ(env["MLCOST_CHECKPOINT_DIR"], "/tmp/ck/r1");
  ASSERT_TRUE(env.count("MLCOST_RESUME_FROM"));
  EXPECT_EQ(env["MLCOST_RESUME_FROM"], "");
}

TEST(RunSetupTest, RunStatusFromTheLastCause) {
  using agent::AttemptCause;
  EXPECT_EQ(FinalRunStatus(AttemptCause::kFinished), "FINISHED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kFailed), "FAILED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kCrashed), "FAILED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kOomKilled), "FAILED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kPreempted), "KILLED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kInterrupted), "KILLED");
  EXPECT_EQ(FinalRunStatus(AttemptCause::kPruned), "KILLED");
}

TEST(RunSetupTest, FormatsElapsedTime) {
  EXPECT_EQ(FormatElapsed(0), "0.00s");
  EXPECT_EQ(FormatElapsed(1523), "1.52s");
  EXPECT_EQ(FormatElapsed(59990), "59.99s");
  EXPECT_EQ(FormatElapsed(3725000), "1h 02m 05s");
}

TEST(RunSetupTest, SummaryLineWithCost) {
  nlohmann::json run = {{"cost", {{"cost_so_far", "0.004200000000"}, {"currency", "USD"}}}};
  EXPECT_EQ(RunSummaryLine("abc", agent::AttemptCause::kFailed, Exited(3), 1, 1520, run),
            "mlcost run: run abc FAILED (exit 3) after 1.52s, cost 0.0042 USD");
  EXPECT_EQ(RunSummaryLine("abc", agent::AttemptCause::kPreempted, Killed(15), 3, 1520, run),
            "mlcost run: run abc KILLED (killed by SIGTERM (signal 15); preempted) after 1.52s, 3 attempts, "
            "cost 0.0042 USD");
}

TEST(RunSetupTest, SummaryLineWithoutCost) {
  nlohmann::json run = {{"cost", nullptr}, {"cost_reason", "no mlcost.instance_type tag"}};
  EXPECT_EQ(RunSummaryLine("abc", agent::AttemptCause::kFinished, Exited(0), 1, 10, run),
            "mlcost run: run abc FINISHED (exit 0) after 0.01s, cost unknown (no mlcost.instance_type tag)");
  EXPECT_EQ(RunSummaryLine("abc", agent::AttemptCause::kCrashed, Killed(9), 1, 10, nullptr),
            "mlcost run: run abc FAILED (killed by SIGKILL (signal 9)) after 0.01s");
}

}  // namespace
}  // namespace mlcost::cli
