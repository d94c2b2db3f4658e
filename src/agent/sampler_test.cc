#include "agent/sampler.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace mlcost::agent {
namespace {

namespace fs = std::filesystem;

// A forked child that burns CPU until killed.
class BusyChild {
 public:
  BusyChild() {
    pid_ = fork();
    if (pid_ == 0) {
      volatile uint64_t x = 0;
      for (;;) x = x + 1;
    }
  }
  ~BusyChild() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

struct Collected {
  std::vector<std::vector<MetricPoint>> batches;
  // The last value of each key over every batch.
  std::map<std::string, double> Last() const {
    std::map<std::string, double> out;
    for (const auto& b : batches) {
      for (const MetricPoint& p : b) out[p.key] = p.value;
    }
    return out;
  }
};

class SamplerTest : public ::testing::Test {
 protected:
  void Script(const std::string& text) {
    script_ = fs::temp_directory_path() / ("mlcost_sampler_nvml_" + std::to_string(getpid()) + ".txt");
    std::ofstream(script_) << text;
    setenv("FAKE_NVML_SCRIPT", script_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("FAKE_NVML_SCRIPT");
    fs::remove(script_);
  }
  MetricSink Sink() {
    return [this](std::vector<MetricPoint> points) { got_.batches.push_back(std::move(points)); };
  }
  fs::path script_;
  Collected got_;
};

TEST_F(SamplerTest, SamplesEachGpuSeparatelyAndTheProcessTree) {
  Script(
      "gpu 0 name=A100 util=5 mem_used=1000 mem_total=40960 power=60000 energy=10000 proc_util=4 "
      "proc_mem=900\n"
      "gpu 1 name=T4 util=95 mem_used=15000 mem_total=15360 power=70000 energy=50000\n"
      "gpu 0 util=15 energy=13000\n"
      "gpu 1 util=85 energy=57000\n");
  BusyChild child;
  FakeClock clock(1'700'000'000'000'000);
  SamplerOptions options;
  options.nvml_library = MLCOST_FAKE_NVML;
  options.window_samples = 2;
  Sampler sampler(child.pid(), options, Sink(), clock);
  ASSERT_EQ(sampler.gpu_names(), (std::vector<std::string>{"A100", "T4"}));
  EXPECT_EQ(sampler.gpu_note(), "");
  sampler.SampleOnce();
  // The second sample needs CPU time to have passed; wait for it (bounded).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  sampler.SampleOnce();
  sampler.Flush();
  ASSERT_EQ(got_.batches.size(), 1u);
  auto v = got_.Last();
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_utilization_percentage"), 10);  // mean of 5 and 15
  EXPECT_DOUBLE_EQ(v.at("system/gpu_1_utilization_percentage"), 90);  // never averaged with GPU 0
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_memory_usage_megabytes"), 1000);
  EXPECT_DOUBLE_EQ(v.at("system/gpu_1_memory_total_megabytes"), 15360);
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_power_usage_watts"), 60);
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_energy_joules"), 3);  // since the first sample
  EXPECT_DOUBLE_EQ(v.at("system/gpu_1_energy_joules"), 7);
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_process_utilization_percentage"), 4);  // the child is in the tree
  EXPECT_DOUBLE_EQ(v.at("system/gpu_0_process_memory_usage_megabytes"), 900);
  EXPECT_EQ(v.count("system/gpu_1_process_utilization_percentage"), 0u);  // not scripted: unsupported
  EXPECT_GT(v.at("system/cpu_utilization_percentage"), 0);
  EXPECT_GT(v.at("system/process_rss_megabytes"), 0);
  EXPECT_DOUBLE_EQ(v.at("system/process_count"), 1);
  for (const MetricPoint& p : got_.batches[0]) {
    EXPECT_EQ(p.timestamp_ms, 1'700'000'000'000);
    EXPECT_EQ(p.step, 0);
  }
}

TEST_F(SamplerTest, WithoutNvmlThereAreNoGpuSeriesAndNoError) {
  BusyChild child;
  SamplerOptions options;
  options.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  Sampler sampler(child.pid(), options, Sink());
  EXPECT_TRUE(sampler.gpu_names().empty());
  EXPECT_NE(sampler.gpu_note().find("/nonexistent/libnvidia-ml.so.1"), std::string::npos);
  sampler.SampleOnce();
  sampler.SampleOnce();
  sampler.Stop();
  ASSERT_EQ(got_.batches.size(), 1u);
  for (const MetricPoint& p : got_.batches[0]) EXPECT_EQ(p.key.find("gpu"), std::string::npos) << p.key;
  EXPECT_EQ(got_.Last().count("system/process_rss_megabytes"), 1u);
}

TEST_F(SamplerTest, TheThreadSendsWindowsUntilStoppedAndFlushesTheRest) {
  BusyChild child;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int64_t> steps;
  SamplerOptions options;
  options.use_gpus = false;
  options.interval = std::chrono::milliseconds(5);
  options.window_samples = 3;
  Sampler sampler(child.pid(), options, [&](std::vector<MetricPoint> points) {
    std::lock_guard<std::mutex> lock(mu);
    steps.push_back(points.at(0).step);
    cv.notify_all();
  });
  sampler.Start();
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return steps.size() >= 2; }));
  }
  sampler.Stop();
  sampler.Stop();  // idempotent
  std::lock_guard<std::mutex> lock(mu);
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i], static_cast<int64_t>(i));
}

}  // namespace
}  // namespace mlcost::agent
