#include "cli/run_sampling.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "cli/gpu_profile_format.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

TEST(RunSamplingTest, SampleIntervalIsOffOrWithinBounds) {
  EXPECT_TRUE(ValidateSampleInterval(0).ok());
  EXPECT_TRUE(ValidateSampleInterval(0.01).ok());
  EXPECT_TRUE(ValidateSampleInterval(3600).ok());
  EXPECT_FALSE(ValidateSampleInterval(0.009).ok());
  EXPECT_FALSE(ValidateSampleInterval(3600.5).ok());
  EXPECT_FALSE(ValidateSampleInterval(-1).ok());
}

TEST(RunSamplingTest, LogBatchBodyIsMlflowShaped) {
  json body = LogBatchBody("r1", {{"system/gpu_0_power_usage_watts", 61.5, 1700000000123, 4}});
  EXPECT_EQ(body, json::parse(R"({"run_id":"r1","metrics":[{"key":"system/gpu_0_power_usage_watts",
      "value":61.5,"timestamp":1700000000123,"step":4}]})"));
}

std::string TagValue(const std::vector<std::pair<std::string, std::string>>& tags, const std::string& key) {
  for (const auto& [k, v] : tags) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(RunSamplingTest, MachineTagsNameTheGpusAndKeepTheUsersCount) {
  auto tags = MachineTags({"A100", "T4"}, {});
  EXPECT_EQ(TagValue(tags, "mlcost.cpu_count"), std::to_string(sysconf(_SC_NPROCESSORS_ONLN)));
  EXPECT_EQ(TagValue(tags, "mlcost.gpu_names"), "A100, T4");
  EXPECT_EQ(TagValue(tags, "mlcost.gpu_count"), "2");
  EXPECT_EQ(TagValue(MachineTags({"A100"}, {"team=x", "mlcost.gpu_count=8"}), "mlcost.gpu_count"),
            "<absent>");
  auto no_gpu = MachineTags({}, {});
  EXPECT_EQ(TagValue(no_gpu, "mlcost.gpu_names"), "<absent>");
  EXPECT_EQ(TagValue(no_gpu, "mlcost.gpu_count"), "<absent>");
}

TEST(GpuProfileFormatTest, ListsEachGpusFindingsWithMoney) {
  json profile = json::parse(R"({"run_id":"r","cost":"10.000000000000","currency":"USD","gpus":[
    {"index":0,"name":"A100","points":10,"utilization":{"mean":4.5,"p5":1,"p95":20,"idle_share":0.8},
     "memory":{"peak_mib":1000,"total_mib":40960},"mean_power_watts":61,"energy_joules":500,
     "cost_share":"5","findings":[{"kind":"idle","message":"GPU idle 80% of the time","share":0.8,
     "money_impact":"4.000000000000"}]},
    {"index":1,"name":"T4","points":10,"utilization":{"mean":90,"p5":80,"p95":99,"idle_share":0},
     "memory":{"peak_mib":null,"total_mib":null},"mean_power_watts":null,"energy_joules":null,
     "cost_share":"5","findings":[]}],"note":""})");
  std::string text = GpuProfileText(profile);
  EXPECT_NE(text.find("GPU profile (run cost 10.00 USD over 2 GPUs)"), std::string::npos) << text;
  EXPECT_NE(text.find("GPU 0 A100: utilisation mean 4.5% (p5 1, p95 20), idle 80% of 10 points, memory peak "
                      "1000 / 40960 MiB, 61 W, 500 J"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("- idle: GPU idle 80% of the time [4.00 USD]"), std::string::npos) << text;
  EXPECT_NE(text.find("GPU 1 T4: utilisation mean 90.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("no findings"), std::string::npos) << text;
}

TEST(GpuProfileFormatTest, SaysWhyThereIsNone) {
  EXPECT_EQ(GpuProfileText(json{{"gpus", json::array()}, {"note", "no GPU"}}),
            "GPU profile: none (no GPU)\n");
}

}  // namespace
}  // namespace mlcost::cli
