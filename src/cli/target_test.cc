// Tests of Target and the demo seed against a real in-process server on a temp data directory.
#include "cli/target.h"
#include "store/test_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "cli/api_queries.h"
#include "cli/demo_seed.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

using store::TempDir;

TEST(TargetTest, DataDirServesInProcessAndHoldsTheLock) {
  TempDir dir;
  TargetOptions options;
  options.data_dir = dir.path();
  auto first = Target::Open(options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_THAT((*first)->url(), HasSubstr("http://127.0.0.1:"));
  auto health = (*first)->client().Get("/healthz");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ((*health)["status"], "ok");

  auto second = Target::Open(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_THAT(second.status().message(), HasSubstr("pid "));
  EXPECT_THAT(second.status().message(), HasSubstr("--server " + (*first)->url()));

  first->reset();
  auto third = Target::Open(options);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(TargetTest, MissingDataDirIsNotCreated) {
  TempDir dir;
  TargetOptions options;
  options.data_dir = dir.path() + "/nope";
  auto target = Target::Open(options);
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(options.data_dir));
}

TEST(DemoSeedTest, SeedsOnceAndFindsARunningRun) {
  TempDir dir;
  TargetOptions options;
  options.data_dir = dir.path();
  auto target = Target::Open(options);
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  ApiClient& client = (*target)->client();
  const int64_t now_ms = 1795700000000;

  auto seeded = SeedDemo(client, now_ms);
  ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
  EXPECT_TRUE(seeded->seeded);
  EXPECT_EQ(seeded->experiments, 2);
  EXPECT_EQ(seeded->runs, 4);
  ASSERT_FALSE(seeded->example_run_id.empty());

  auto again = SeedDemo(client, now_ms);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->seeded);
  EXPECT_EQ(again->experiments, 2);
  EXPECT_EQ(again->example_run_id, seeded->example_run_id);

  auto id = ResolveExperimentId(client, "demo-image-classifier");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  RunQuery query;
  query.experiment_ids = {*id};
  auto runs = ListRuns(client, query);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->items.size(), 3u);
  int running = 0, spot = 0;
  for (const json& run : runs->items) {
    running += JsonString(run, "status") == "RUNNING";
    spot += JsonString(Field(run, "tags"), "mlcost.pricing") == "spot";
    EXPECT_EQ(JsonString(Field(run, "params"), "batch_size").empty(), false);
  }
  EXPECT_EQ(running, 1);
  EXPECT_EQ(spot, 1);

  auto example = GetRun(client, seeded->example_run_id);
  ASSERT_TRUE(example.ok()) << example.status().ToString();
  EXPECT_EQ(JsonString(example->item, "status"), "RUNNING");
  EXPECT_EQ(JsonString(Field(example->item, "resources"), "instance_type"), "p3.2xlarge");
}

}  // namespace
}  // namespace mlcost::cli
