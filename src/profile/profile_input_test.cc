#include "profile/profile_input.h"

#include <gtest/gtest.h>

#include "tracking/tracking_test_util.h"

namespace mlcost::profile {
namespace {

TEST(GpuIndexOfKeyTest, ReadsTheIndexOfPerGpuKeysOnly) {
  EXPECT_EQ(GpuIndexOfKey("system/gpu_0_utilization_percentage"), 0);
  EXPECT_EQ(GpuIndexOfKey("system/gpu_12_power_usage_watts"), 12);
  EXPECT_EQ(GpuIndexOfKey("system/gpu__x"), -1);
  EXPECT_EQ(GpuIndexOfKey("system/gpu_3"), -1);
  EXPECT_EQ(GpuIndexOfKey("system/cpu_utilization_percentage"), -1);
  EXPECT_EQ(GpuIndexOfKey("gpu_0_utilization_percentage"), -1);
}

class ProfileInputTest : public tracking::TrackingTest {};

TEST_F(ProfileInputTest, LoadsEveryGpusHistoriesAndTheHostSeries) {
  mlcost::Run run = NewRun("0", "r", {{"mlcost.cpu_count", "8"}, {"mlcost.gpu_names", "A100, T4"}});
  const std::string& id = run.info.run_id;
  std::vector<Metric> metrics;
  for (int64_t t = 0; t < 3; ++t) {
    metrics.push_back({"system/gpu_0_utilization_percentage", 10.0 * t, 1000 * t, t});
    metrics.push_back({"system/gpu_1_utilization_percentage", 50, 1000 * t, t});
    metrics.push_back({"system/gpu_1_memory_usage_megabytes", 100.0 + t, 1000 * t, t});
    metrics.push_back({"system/cpu_utilization_percentage", 99, 1000 * t, t});
    metrics.push_back({"loss", 1, 1000 * t, t});
  }
  MLCOST_ASSERT_OK(Log(id, metrics));
  auto got = svc().GetRun(id);
  MLCOST_ASSERT_OK(got);
  auto input = LoadProfileInput(svc(), *got);
  MLCOST_ASSERT_OK(input);
  ASSERT_EQ(input->gpus.size(), 2u);
  EXPECT_EQ(input->gpus[0].index, 0);
  EXPECT_EQ(input->gpus[0].name, "A100");
  EXPECT_EQ(input->gpus[1].name, "T4");
  EXPECT_EQ(input->gpus[0].utilization.size(), 3u);
  EXPECT_EQ(input->gpus[1].memory_used.size(), 3u);
  EXPECT_TRUE(input->gpus[0].memory_used.empty());
  EXPECT_EQ(input->cpu_percent.size(), 3u);
  EXPECT_EQ(input->cpu_count, 8);
  EXPECT_FALSE(input->cost.has_value());
}

TEST_F(ProfileInputTest, ARunWithoutGpuSeriesHasNoGpus) {
  mlcost::Run run = NewRun();
  MLCOST_ASSERT_OK(Log(run.info.run_id, {{"system/cpu_utilization_percentage", 5, 1, 0}}));
  auto got = svc().GetRun(run.info.run_id);
  MLCOST_ASSERT_OK(got);
  auto input = LoadProfileInput(svc(), *got);
  MLCOST_ASSERT_OK(input);
  EXPECT_TRUE(input->gpus.empty());
}

}  // namespace
}  // namespace mlcost::profile
