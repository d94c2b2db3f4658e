// PrunerIndexWarmer on a real DuckDB store through the API router: an experiment's index entry is
// built in the background when its pruner is set and, for a restarted server, when the experiment
// has a running run; the decision that follows then builds nothing.
#include "server/pruner_index_warmer.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "api/api_test_fixture.h"

namespace mlcost::server {
namespace {

using api::json;

class PrunerIndexWarmerTest : public api::ApiTest {
 protected:
  // An experiment with one FINISHED run (loss 1.0 at steps 0..2) and one RUNNING run (loss 2.0
  // at step 0); returns {experiment id, running run id}.
  std::pair<std::string, std::string> Study(const std::string& name) {
    const std::string experiment = Expect(201, "POST", "/api/v1/experiments", {{"name", name}})["id"];
    const std::string done = NewRun({{"experiment_id", experiment}});
    Expect(200, "POST", "/api/v1/runs/" + done + "/metrics",
           {{"metrics", {{{"key", "loss"}, {"value", 1.0}, {"step", 0}},
                         {{"key", "loss"}, {"value", 1.0}, {"step", 1}},
                         {{"key", "loss"}, {"value", 1.0}, {"step", 2}}}}});
    Expect(200, "PATCH", "/api/v1/runs/" + done, {{"status", "FINISHED"}});
    const std::string running = NewRun({{"experiment_id", experiment}});
    Expect(200, "POST", "/api/v1/runs/" + running + "/metrics",
           {{"metrics", {{{"key", "loss"}, {"value", 2.0}, {"step", 0}}}}});
    return {experiment, running};
  }

  void SetPruner(const std::string& experiment, const std::string& type, const json& params) {
    Expect(200, "PUT", "/api/v1/experiments/" + experiment + "/pruner",
           {{"metric", "loss"}, {"type", type}, {"params", params}});
  }

  // Waits (10 s at most: a deadline, not a timing assertion) until the warmer has nothing to do.
  static void WaitIdle(const PrunerIndexWarmer& warmer) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!warmer.idle() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(warmer.idle()) << "the warmer did not finish in 10 s";
  }

  int64_t Builds() { return ctx_->pruner_index->stats().builds; }
};

TEST_F(PrunerIndexWarmerTest, SettingAPrunerBuildsTheEntryBeforeTheFirstDecision) {
  auto [experiment, running] = Study("warm-on-set");
  PrunerIndexWarmer warmer(*ctx_);
  ctx_->pruner_changed = [&warmer](const std::string& id) { warmer.Enqueue(id); };
  warmer.Start();
  WaitIdle(warmer);
  EXPECT_EQ(warmer.warmed(), 0) << "no experiment had a pruner at the start";
  EXPECT_EQ(Builds(), 0);

  SetPruner(experiment, "median", {{"n_startup_trials", 1}});
  WaitIdle(warmer);
  EXPECT_EQ(warmer.warmed(), 1);
  EXPECT_EQ(Builds(), 1);
  json decision = Get("/api/v1/runs/" + running + "/should-stop");
  EXPECT_EQ(decision["stop"], true) << decision.dump();  // 2.0 > the median 1.0 at step 0
  EXPECT_EQ(Builds(), 1) << "the decision found the entry built";

  // A pruner the index does not serve is read and skipped.
  SetPruner(experiment, "threshold", {{"upper", 5.0}});
  WaitIdle(warmer);
  EXPECT_EQ(warmer.warmed(), 1);
  EXPECT_EQ(Builds(), 1);
  ctx_->pruner_changed = nullptr;  // the warmer goes before the fixture
}

TEST_F(PrunerIndexWarmerTest, AtStartItWarmsExperimentsWithAPrunerAndARunningRun) {
  auto [judged, running] = Study("running");
  SetPruner(judged, "percentile", {{"percentile", 25.0}});
  auto [ended, other] = Study("ended");
  SetPruner(ended, "median", json::object());
  Expect(200, "PATCH", "/api/v1/runs/" + other, {{"status", "KILLED"}});
  Study("no-pruner");
  ASSERT_EQ(Builds(), 0) << "no decision yet, and no warmer: nothing is built";

  PrunerIndexWarmer warmer(*ctx_);  // as a restarted server's
  warmer.Start();
  WaitIdle(warmer);
  EXPECT_EQ(warmer.warmed(), 1) << "only the experiment with a pruner and a running run";
  EXPECT_EQ(Builds(), 1);
  Get("/api/v1/runs/" + running + "/should-stop");
  EXPECT_EQ(Builds(), 1);
  warmer.Stop();
  warmer.Enqueue(judged);  // after Stop: ignored
  EXPECT_TRUE(warmer.idle());
}

}  // namespace
}  // namespace mlcost::server
