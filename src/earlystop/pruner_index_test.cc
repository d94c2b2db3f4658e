// PrunerIndex against the scanning path (LoadStudy + pruning::Prune) on a real DuckDB store:
// randomized runs and histories (NaN, ties), runs finishing, failing, deleted and restored,
// a metric change, a restart; every RUNNING run is judged after each change by both.
#include "earlystop/pruner_index.h"

#include <random>

#include <gtest/gtest.h>

#include "earlystop/pruner_service.h"
#include "earlystop/study_loader.h"
#include "pruning/pruner.h"
#include "tracking/tracking_test_util.h"

namespace mlcost::earlystop {
namespace {

using tracking::TrackingTest;

class PrunerIndexTest : public TrackingTest {
 protected:
  // The scanning decision for `run` (what PrunerService does without an index).
  pruning::Decision Scanned(const mlcost::Run& run, const std::string& metric, const ExperimentPruner& pruner) {
    auto loaded = LoadStudy(svc(), run.info.experiment_id, metric);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    loaded->study.direction = pruner.direction;
    size_t number = 0;
    for (size_t i = 0; i < loaded->run_ids.size(); ++i) {
      if (loaded->run_ids[i] == run.info.run_id) number = i;
    }
    auto decision = pruning::Prune(loaded->study, number, pruner.config);
    EXPECT_TRUE(decision.ok()) << decision.status().ToString();
    return *decision;
  }

  // Judges every RUNNING run of `runs` both ways; returns how many were compared.
  int CompareAll(PrunerIndex& index, const std::vector<std::string>& runs, const std::string& metric,
                 const ExperimentPruner& pruner, int* pruned) {
    int compared = 0;
    for (const std::string& id : runs) {
      auto run = svc().GetRun(id);
      EXPECT_TRUE(run.ok());
      if (!run.ok() || run->info.status != "RUNNING" || run->info.lifecycle_stage != "active") continue;
      auto indexed = index.Decide(svc(), *run, metric, pruner.direction, pruner.config);
      EXPECT_TRUE(indexed.ok()) << indexed.status().ToString();
      if (!indexed.ok()) continue;
      const pruning::Decision scanned = Scanned(*run, metric, pruner);
      EXPECT_EQ(indexed->prune, scanned.prune) << id;
      EXPECT_EQ(indexed->reason, scanned.reason) << id;
      ++compared;
      *pruned += scanned.prune ? 1 : 0;
    }
    return compared;
  }

  Status Finish(const std::string& run_id, const std::string& status) {
    tracking::UpdateRunRequest update;
    update.run_id = run_id;
    update.status = status;
    return svc().UpdateRun(update).status();
  }
};

ExperimentPruner Pruner(const std::string& metric, pruning::Direction direction, const std::string& type_params) {
  auto parsed = ParseExperimentPruner(nlohmann::json::parse(R"({"metric":")" + metric + R"(","direction":")" +
                                                            pruning::DirectionName(direction) + R"(",)" +
                                                            type_params + "}"));
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return *parsed;
}

TEST_F(PrunerIndexTest, EqualsTheScanThroughFinishesFailuresDeletionsAndRestarts) {
  std::mt19937_64 rng(5);
  const std::string experiment = NewExperiment("indexed");
  for (auto direction : {pruning::Direction::kMinimize, pruning::Direction::kMaximize}) {
    const ExperimentPruner median =
        Pruner("loss", direction, R"("type":"median","params":{"n_startup_trials":2,"n_min_trials":2})");
    const ExperimentPruner p25 = Pruner("acc", direction, R"("type":"percentile","params":{"percentile":25})");
    auto index = std::make_unique<PrunerIndex>();      // judges "loss"
    auto acc_index = std::make_unique<PrunerIndex>();  // judges "acc"
    std::vector<std::string> runs;
    int compared = 0;
    int pruned = 0;
    int64_t incremental = 0;
    std::uniform_int_distribution<int> pick_value(0, 12);
    for (int round = 0; round < 40; ++round) {
      const int action = std::uniform_int_distribution<int>(0, 9)(rng);
      if (runs.empty() || action < 2) {
        runs.push_back(NewRun(experiment).info.run_id);
      } else {
        const std::string& id = runs[std::uniform_int_distribution<size_t>(0, runs.size() - 1)(rng)];
        auto run = svc().GetRun(id);
        ASSERT_TRUE(run.ok());
        const bool live = run->info.status == "RUNNING" && run->info.lifecycle_stage == "active";
        if (action < 6 && live) {
          int64_t step = 0;
          auto history = svc().GetMetricHistory({id, "loss", 0, ""});
          if (history.ok() && !history->metrics.empty()) step = history->metrics.back().step + 1;
          const int v = pick_value(rng);
          const double value = v == 0 ? std::nan("") : v / 4.0;
          MLCOST_ASSERT_OK(Log(id, {{"loss", value, 1, step}, {"acc", 1 - value, 1, step}}));
        } else if (action < 9 && live) {
          MLCOST_ASSERT_OK(Finish(id, action == 8 ? "FAILED" : "FINISHED"));
        } else if (action == 9) {
          MLCOST_ASSERT_OK(run->info.lifecycle_stage == "active" ? svc().DeleteRun(id) : svc().RestoreRun(id));
        }
      }
      if (round % 10 == 9) {  // a restarted server
        incremental += index->stats().incremental + acc_index->stats().incremental;
        index = std::make_unique<PrunerIndex>();
        acc_index = std::make_unique<PrunerIndex>();
      }
      compared += CompareAll(*index, runs, "loss", median, &pruned);
      compared += CompareAll(*acc_index, runs, "acc", p25, &pruned);
    }
    incremental += index->stats().incremental + acc_index->stats().incremental;
    const int64_t builds = index->stats().builds;
    compared += CompareAll(*index, runs, "acc", p25, &pruned);  // the pruner's metric changed
    EXPECT_EQ(index->stats().builds, builds + 1) << "a metric change rebuilds";
    EXPECT_GT(compared, 100);
    EXPECT_GT(pruned, 0) << "both answers must occur";
    EXPECT_LT(pruned, compared);
    EXPECT_GT(incremental, 0) << "finishing runs must insert, not rebuild";
  }
}

TEST_F(PrunerIndexTest, ServiceUsesTheIndexForMedianAndRecordsThePrunedReason) {
  const std::string experiment = NewExperiment("service");
  PrunerIndex index;
  PrunerService service(svc(), &index);
  MLCOST_ASSERT_OK(service.Set(experiment, Pruner("loss", pruning::Direction::kMinimize,
                                                  R"("type":"median","params":{"n_startup_trials":1})")));
  mlcost::Run done = NewRun(experiment);
  MLCOST_ASSERT_OK(Log(done.info.run_id, {{"loss", 1.0, 1, 0}}));
  MLCOST_ASSERT_OK(Finish(done.info.run_id, "FINISHED"));
  mlcost::Run judged = NewRun(experiment);
  MLCOST_ASSERT_OK(Log(judged.info.run_id, {{"loss", 2.0, 1, 0}}));
  auto run = svc().GetRun(judged.info.run_id);
  ASSERT_TRUE(run.ok());
  auto decision = service.Decide(*run);
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_TRUE(decision->stop);
  EXPECT_EQ(index.stats().builds, 1);
  auto after = svc().GetRun(judged.info.run_id);
  EXPECT_EQ(tracking::TagValue(after->tags, kPrunedReasonTag), decision->reason);
}

TEST_F(PrunerIndexTest, PrunerOfRunReadsTheRunsExperimentsPrunerInOneQuery) {
  const std::string judged = NewExperiment("with-pruner");
  const std::string plain = NewExperiment("without");
  PrunerService service(svc());
  const ExperimentPruner median = Pruner("loss", pruning::Direction::kMaximize, R"("type":"median")");
  MLCOST_ASSERT_OK(service.Set(judged, median));
  const std::string in_judged = NewRun(judged).info.run_id;
  const std::string in_plain = NewRun(plain).info.run_id;

  auto found = service.PrunerOfRun(in_judged);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(ExperimentPrunerToJson((*found)->pruner), ExperimentPrunerToJson(median));
  EXPECT_EQ((*found)->experiment_name, "with-pruner");
  auto none = service.PrunerOfRun(in_plain);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto unknown = service.PrunerOfRun("no-such-run");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
  MLCOST_ASSERT_OK(service.Clear(judged));
  auto cleared = service.PrunerOfRun(in_judged);
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->has_value()) << "a cleared pruner (empty tag) is no pruner";
}

TEST_F(PrunerIndexTest, RejectsPrunersItDoesNotServe) {
  const std::string experiment = NewExperiment("sha");
  PrunerIndex index;
  mlcost::Run run = NewRun(experiment);
  const ExperimentPruner sha = Pruner("loss", pruning::Direction::kMinimize, R"("type":"successive_halving")");
  MLCOST_EXPECT_CODE(index.Decide(svc(), run, "loss", sha.direction, sha.config), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mlcost::earlystop
