#include "agent/nvml.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace mlcost::agent {
namespace {

namespace fs = std::filesystem;

// Writes `text` as the fake library's script and points FAKE_NVML_SCRIPT at it.
class NvmlTest : public ::testing::Test {
 protected:
  void Script(const std::string& text) {
    path_ = fs::temp_directory_path() / ("mlcost_fake_nvml_" + std::to_string(getpid()) + ".txt");
    std::ofstream(path_) << text;
    setenv("FAKE_NVML_SCRIPT", path_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("FAKE_NVML_SCRIPT");
    unsetenv(kNvmlLibraryEnv);
    fs::remove(path_);
  }
  fs::path path_;
};

TEST_F(NvmlTest, AMissingLibraryIsNotFound) {
  auto nvml = Nvml::Load("/nonexistent/libnvidia-ml.so.1");
  ASSERT_FALSE(nvml.ok());
  EXPECT_EQ(nvml.status().code(), StatusCode::kNotFound);
  EXPECT_NE(nvml.status().message().find("/nonexistent/libnvidia-ml.so.1"), std::string::npos);
}

TEST_F(NvmlTest, ALibraryWithoutNvmlIsUnavailable) {
  auto nvml = Nvml::Load("libm.so.6");
  ASSERT_FALSE(nvml.ok());
  EXPECT_EQ(nvml.status().code(), StatusCode::kUnavailable);
}

TEST_F(NvmlTest, AFailingInitIsUnavailable) {
  Script("init fail\ngpu 0 name=A100 util=1\n");
  auto nvml = Nvml::Load(MLCOST_FAKE_NVML);
  ASSERT_FALSE(nvml.ok());
  EXPECT_EQ(nvml.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(nvml.status().message().find("nvmlInit_v2"), std::string::npos);
}

TEST_F(NvmlTest, ReadsEachGpuInNvmlUnits) {
  Script(
      "gpu 0 name=NVIDIA-A100-SXM4-40GB util=5 mem_used=1000 mem_total=40960 power=61500 energy=2000\n"
      "gpu 1 name=NVIDIA-T4 util=90 mem_used=15000 mem_total=15360 power=70000 energy=500\n"
      "gpu 0 util=7 energy=4500\n");
  auto nvml = Nvml::Load(MLCOST_FAKE_NVML);
  ASSERT_TRUE(nvml.ok()) << nvml.status().ToString();
  ASSERT_EQ((*nvml)->device_count(), 2);
  EXPECT_EQ((*nvml)->name(0), "NVIDIA-A100-SXM4-40GB");
  EXPECT_EQ((*nvml)->name(1), "NVIDIA-T4");

  GpuReading g0 = (*nvml)->Read(0, {});
  EXPECT_EQ(g0.utilization_percent, 5);
  EXPECT_EQ(g0.memory_used_mib, 1000);
  EXPECT_EQ(g0.memory_total_mib, 40960);
  EXPECT_EQ(g0.power_watts, 61.5);
  EXPECT_EQ(g0.energy_joules, 2);
  GpuReading g1 = (*nvml)->Read(1, {});
  EXPECT_EQ(g1.utilization_percent, 90);
  EXPECT_EQ(g1.memory_used_mib, 15000);
  // GPU 0's next tick; the values it does not repeat are kept.
  GpuReading g0b = (*nvml)->Read(0, {});
  EXPECT_EQ(g0b.utilization_percent, 7);
  EXPECT_EQ(g0b.energy_joules, 4.5);
  EXPECT_EQ(g0b.memory_used_mib, 1000);
}

TEST_F(NvmlTest, AnUnsupportedValueIsAbsent) {
  Script("gpu 0 name=X util=5 mem_used=1 mem_total=2 power=na\n");
  auto nvml = Nvml::Load(MLCOST_FAKE_NVML);
  ASSERT_TRUE(nvml.ok());
  GpuReading r = (*nvml)->Read(0, {});
  EXPECT_EQ(r.utilization_percent, 5);
  EXPECT_FALSE(r.power_watts.has_value());
  EXPECT_FALSE(r.energy_joules.has_value());  // never scripted
  EXPECT_FALSE(r.process_utilization_percent.has_value());
}

TEST_F(NvmlTest, TheEnvironmentVariableNamesTheLibrary) {
  Script("gpu 0 name=FromEnv util=1\n");
  setenv(kNvmlLibraryEnv, MLCOST_FAKE_NVML, 1);
  auto nvml = Nvml::Load();
  ASSERT_TRUE(nvml.ok()) << nvml.status().ToString();
  EXPECT_EQ((*nvml)->name(0), "FromEnv");
}

TEST_F(NvmlTest, AttributesPerProcessUseOnlyToTheGivenPids) {
  Script("gpu 0 name=X util=50 proc_util=30 proc_mem=2048\n");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  auto nvml = Nvml::Load(MLCOST_FAKE_NVML);
  ASSERT_TRUE(nvml.ok());
  GpuReading mine = (*nvml)->Read(0, {static_cast<int>(child)});
  GpuReading others = (*nvml)->Read(0, {static_cast<int>(child) + 1});
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(mine.process_utilization_percent, 30);
  EXPECT_EQ(mine.process_memory_mib, 2048);
  EXPECT_EQ(others.process_utilization_percent, 0);
  EXPECT_EQ(others.process_memory_mib, 0);
}

}  // namespace
}  // namespace mlcost::agent
