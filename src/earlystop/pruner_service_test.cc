#include "earlystop/pruner_service.h"

#include <gtest/gtest.h>

namespace mlcost::earlystop {
namespace {

using nlohmann::json;

TEST(ExperimentPrunerTest, ParsesMetricDirectionAndThePrunerAndSpellsOutDefaults) {
  auto p = ParseExperimentPruner(
      json{{"metric", "val_acc"}, {"direction", "maximize"}, {"type", "median"}, {"params", {{"n_startup_trials", 3}}}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->metric, "val_acc");
  EXPECT_EQ(p->direction, pruning::Direction::kMaximize);
  json back = ExperimentPrunerToJson(*p);
  EXPECT_EQ(back["metric"], "val_acc");
  EXPECT_EQ(back["direction"], "maximize");
  EXPECT_EQ(back["type"], "median");
  EXPECT_EQ(back["params"]["n_startup_trials"], 3);
  EXPECT_EQ(back["params"]["n_warmup_steps"], 0);  // Optuna's default, spelled out
  auto again = ParseExperimentPruner(back);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ExperimentPrunerToJson(*again), back);
}

TEST(ExperimentPrunerTest, BadInputNamesWhatIsWrong) {
  auto no_metric = ParseExperimentPruner(json{{"type", "median"}});
  ASSERT_FALSE(no_metric.ok());
  EXPECT_NE(no_metric.status().message().find("'metric'"), std::string::npos);
  auto direction = ParseExperimentPruner(json{{"metric", "m"}, {"direction", "up"}, {"type", "median"}});
  ASSERT_FALSE(direction.ok());
  auto unknown = ParseExperimentPruner(json{{"metric", "m"}, {"type", "median"}, {"colour", 1}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown field 'colour'"), std::string::npos);
  auto bad_param = ParseExperimentPruner(json{{"metric", "m"}, {"type", "percentile"}, {"params", {{"percentile", 150}}}});
  ASSERT_FALSE(bad_param.ok());
  EXPECT_EQ(bad_param.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mlcost::earlystop
