#include "agent/sample_window.h"

#include <gtest/gtest.h>

#include <map>

namespace mlcost::agent {
namespace {

std::map<std::string, double> ByKey(const std::vector<MetricPoint>& points) {
  std::map<std::string, double> out;
  for (const MetricPoint& p : points) out[p.key] = p.value;
  return out;
}

TEST(SampleWindowTest, MeansRatesKeepsPeaksAndLastCounters) {
  SampleWindow window(1);
  Tick a;
  a.cpu_percent = 100;
  a.read_mb_per_s = 2;
  a.write_mb_per_s = 0;
  a.rss_mib = 300;
  a.processes = 3;
  a.gpus = {GpuTick{10, 1000, 4000, 50, 5, 7, 100}};
  Tick b = a;
  b.cpu_percent = 200;
  b.rss_mib = 100;
  b.processes = 1;
  b.gpus = {GpuTick{30, 3000, 4000, 70, 9, 9, 50}};
  window.Add(a);
  window.Add(b);
  EXPECT_EQ(window.size(), 2);
  auto points = window.Flush(1234, 7);
  auto v = ByKey(points);
  EXPECT_DOUBLE_EQ(v["system/cpu_utilization_percentage"], 150);
  EXPECT_DOUBLE_EQ(v["system/process_rss_megabytes"], 300);
  EXPECT_DOUBLE_EQ(v["system/disk_read_megabytes_per_second"], 2);
  EXPECT_DOUBLE_EQ(v["system/process_count"], 3);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_utilization_percentage"], 20);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_memory_usage_megabytes"], 3000);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_memory_usage_percentage"], 75);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_memory_total_megabytes"], 4000);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_power_usage_watts"], 60);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_energy_joules"], 9);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_process_utilization_percentage"], 8);
  EXPECT_DOUBLE_EQ(v["system/gpu_0_process_memory_usage_megabytes"], 100);
  for (const MetricPoint& p : points) {
    EXPECT_EQ(p.timestamp_ms, 1234);
    EXPECT_EQ(p.step, 7);
  }
  EXPECT_EQ(window.size(), 0);
  EXPECT_TRUE(window.Flush(1, 8).empty());
}

TEST(SampleWindowTest, AnAbsentValueIsNeitherZeroNorAPoint) {
  SampleWindow window(2);
  Tick first;  // the first tick has no rates
  first.gpus = {GpuTick{}, GpuTick{}};
  first.gpus[1].utilization_percent = 40;
  Tick second = first;
  second.cpu_percent = 50;
  second.gpus[1].utilization_percent = 60;
  window.Add(first);
  window.Add(second);
  auto v = ByKey(window.Flush(0, 0));
  EXPECT_DOUBLE_EQ(v.at("system/cpu_utilization_percentage"), 50);  // not (0 + 50) / 2
  EXPECT_EQ(v.count("system/disk_read_megabytes_per_second"), 0u);
  EXPECT_EQ(v.count("system/gpu_0_utilization_percentage"), 0u);
  EXPECT_DOUBLE_EQ(v.at("system/gpu_1_utilization_percentage"), 50);
  EXPECT_EQ(v.count("system/gpu_1_memory_usage_megabytes"), 0u);
}

TEST(SampleWindowTest, WithoutGpusHasOnlyHostSeries) {
  SampleWindow window(0);
  Tick t;
  t.gpus = {GpuTick{}};  // more GPUs than the window was made for: ignored
  t.gpus[0].utilization_percent = 99;
  window.Add(t);
  for (const MetricPoint& p : window.Flush(0, 0)) EXPECT_EQ(p.key.find("gpu"), std::string::npos) << p.key;
}

TEST(SampleWindowTest, GpuKeyFollowsMlflowNaming) {
  EXPECT_EQ(GpuKey(3, "power_usage_watts"), "system/gpu_3_power_usage_watts");
}

}  // namespace
}  // namespace mlcost::agent
