#include "profile/gpu_profile.h"

#include <gtest/gtest.h>

namespace mlcost::profile {
namespace {

// A series with one point per second starting at t = 1000 ms.
std::vector<Metric> Series(const std::vector<double>& values) {
  std::vector<Metric> out;
  for (size_t i = 0; i < values.size(); ++i) {
    out.push_back(Metric{"k", values[i], static_cast<int64_t>(1000 * (i + 1)), static_cast<int64_t>(i)});
  }
  return out;
}

// n copies of v followed by m copies of w.
std::vector<double> Values(int n, double v, int m, double w) {
  std::vector<double> out(n, v);
  out.insert(out.end(), m, w);
  return out;
}

GpuSeries Gpu(int index, const std::vector<double>& util) {
  GpuSeries g;
  g.index = index;
  g.name = "GPU" + std::to_string(index);
  g.utilization = Series(util);
  return g;
}

const Finding* FindingOf(const GpuReport& r, const std::string& kind) {
  for (const Finding& f : r.findings) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

Decimal Money(const char* text) { return *Decimal::Parse(text); }

TEST(GpuProfileTest, MostlyIdleAtHalfTheTimeNotBelow) {
  ProfileInput at;
  at.gpus = {Gpu(0, Values(5, kIdleUtilizationPercent - 0.01, 5, 95))};
  GpuProfile p = ComputeGpuProfile(at);
  ASSERT_EQ(p.gpus.size(), 1u);
  ASSERT_NE(FindingOf(p.gpus[0], "idle"), nullptr);
  EXPECT_DOUBLE_EQ(FindingOf(p.gpus[0], "idle")->share, 0.5);

  ProfileInput below;
  below.gpus = {Gpu(0, Values(4, 0, 6, 95))};
  EXPECT_EQ(FindingOf(ComputeGpuProfile(below).gpus[0], "idle"), nullptr);

  // Exactly the threshold is not idle.
  ProfileInput threshold;
  threshold.gpus = {Gpu(0, Values(10, kIdleUtilizationPercent, 0, 0))};
  GpuProfile t = ComputeGpuProfile(threshold);
  EXPECT_DOUBLE_EQ(t.gpus[0].idle_share, 0);
  EXPECT_EQ(FindingOf(t.gpus[0], "idle"), nullptr);
}

TEST(GpuProfileTest, EachGpuIsJudgedAloneAndCarriesItsShareOfTheCost) {
  ProfileInput input;
  input.gpus = {Gpu(0, Values(6, 1, 4, 90)), Gpu(1, Values(0, 0, 10, 90))};
  input.cost = Money("10");
  GpuProfile p = ComputeGpuProfile(input);
  ASSERT_EQ(p.gpus.size(), 2u);
  EXPECT_EQ(p.gpus[0].cost_share, Money("5"));
  const Finding* idle = FindingOf(p.gpus[0], "idle");
  ASSERT_NE(idle, nullptr);
  // 6 of 10 points idle: 6/10 of the GPU's 5.
  EXPECT_EQ(idle->money_impact, Money("3"));
  EXPECT_TRUE(p.gpus[1].findings.empty());
  EXPECT_DOUBLE_EQ(p.gpus[0].mean_utilization, (6 * 1 + 4 * 90) / 10.0);
}

TEST(GpuProfileTest, AnUnpricedRunHasFindingsWithoutMoney) {
  ProfileInput input;
  input.gpus = {Gpu(0, Values(10, 0, 0, 0))};
  GpuProfile p = ComputeGpuProfile(input);
  ASSERT_NE(FindingOf(p.gpus[0], "idle"), nullptr);
  EXPECT_FALSE(FindingOf(p.gpus[0], "idle")->money_impact.has_value());
  EXPECT_FALSE(p.gpus[0].cost_share.has_value());
}

TEST(GpuProfileTest, TooFewPointsGiveStatisticsButNoFindings) {
  ProfileInput input;
  input.gpus = {Gpu(0, Values(kMinPoints - 1, 0, 0, 0))};
  GpuProfile p = ComputeGpuProfile(input);
  EXPECT_EQ(p.gpus[0].points, kMinPoints - 1);
  EXPECT_DOUBLE_EQ(p.gpus[0].idle_share, 1);
  EXPECT_TRUE(p.gpus[0].findings.empty());
}

TEST(GpuProfileTest, CpuBoundWhenTheGpuWaitsWhileTheCoresAreBusy) {
  auto input_with_cpu = [](double cpu_at_idle_points) {
    ProfileInput input;
    input.cpu_count = 4;
    // 2 idle points of 10: exactly kBottleneckShare.
    input.gpus = {Gpu(0, Values(2, 3, 8, 80))};
    input.cpu_percent = Series(Values(2, cpu_at_idle_points, 8, 400));
    input.cost = Money("1");
    return input;
  };
  GpuProfile busy = ComputeGpuProfile(input_with_cpu(kCpuBusyPercentOfCores * 4));
  const Finding* f = FindingOf(busy.gpus[0], "cpu_bound");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->share, 0.2);
  EXPECT_EQ(f->money_impact, Money("0.2"));
  EXPECT_EQ(
      FindingOf(ComputeGpuProfile(input_with_cpu(kCpuBusyPercentOfCores * 4 - 0.1)).gpus[0], "cpu_bound"),
      nullptr);

  // One idle point of 10 with a busy CPU is below the share.
  ProfileInput one = input_with_cpu(400);
  one.gpus = {Gpu(0, Values(1, 3, 9, 80))};
  EXPECT_EQ(FindingOf(ComputeGpuProfile(one).gpus[0], "cpu_bound"), nullptr);
}

TEST(GpuProfileTest, CpuPointsAreMatchedByTimestamp) {
  ProfileInput input;
  input.gpus = {Gpu(0, Values(10, 0, 0, 0))};
  input.cpu_percent = Series(Values(10, 100, 0, 0));
  for (Metric& m : input.cpu_percent) m.timestamp_ms += 1;  // another window's points
  EXPECT_EQ(FindingOf(ComputeGpuProfile(input).gpus[0], "cpu_bound"), nullptr);
  input.cpu_percent = Series(Values(10, 100, 0, 0));
  EXPECT_NE(FindingOf(ComputeGpuProfile(input).gpus[0], "cpu_bound"), nullptr);  // 1 core assumed
}

TEST(GpuProfileTest, IoBoundCountsReadsAndWritesTogether) {
  auto input_with_io = [](double read, double write) {
    ProfileInput input;
    input.gpus = {Gpu(0, Values(3, 0, 7, 80))};
    input.disk_read = Series(Values(3, read, 7, 0));
    input.disk_write = Series(Values(3, write, 7, 0));
    return input;
  };
  const Finding* f = nullptr;
  GpuProfile at = ComputeGpuProfile(input_with_io(kIoBusyMegabytesPerSecond - 20, 20));
  f = FindingOf(at.gpus[0], "io_bound");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->share, 0.3);
  EXPECT_EQ(
      FindingOf(ComputeGpuProfile(input_with_io(kIoBusyMegabytesPerSecond - 20.1, 20)).gpus[0], "io_bound"),
      nullptr);
}

TEST(GpuProfileTest, MemoryHeadroomNamesASmallerGpuThatFits) {
  auto input_with_memory = [](double peak, double total) {
    ProfileInput input;
    GpuSeries g = Gpu(0, Values(0, 0, 5, 90));
    g.memory_used = Series({peak / 2, peak, peak / 3, 0, 0});
    g.memory_total = Series({total, total, total, total, total});
    input.gpus = {g};
    input.cost = Money("8");
    return input;
  };
  // 12000 MiB x 1.25 = 15000 MiB fits 16 GB (16384 MiB).
  GpuProfile p = ComputeGpuProfile(input_with_memory(12000, 40960));
  const Finding* f = FindingOf(p.gpus[0], "memory_headroom");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("16 GB"), std::string::npos) << f->message;
  EXPECT_FALSE(f->money_impact.has_value());
  EXPECT_EQ(p.gpus[0].peak_memory_mib, 12000);
  EXPECT_EQ(p.gpus[0].total_memory_mib, 40960);
  // 14000 x 1.25 = 17500: past 16 GB, fits 24 GB.
  f = FindingOf(ComputeGpuProfile(input_with_memory(14000, 40960)).gpus[0], "memory_headroom");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("24 GB"), std::string::npos) << f->message;
  // Half the memory exactly: no headroom finding.
  EXPECT_EQ(FindingOf(ComputeGpuProfile(input_with_memory(20480, 40960)).gpus[0], "memory_headroom"),
            nullptr);
  // Little memory used on the smallest GPU class: nothing smaller to suggest.
  EXPECT_EQ(FindingOf(ComputeGpuProfile(input_with_memory(1000, 16384)).gpus[0], "memory_headroom"), nullptr);
}

TEST(GpuProfileTest, FluctuatingWhenP95IsHighAndP5Idle) {
  auto input_with = [](double high) {
    ProfileInput input;
    input.gpus = {Gpu(0, Values(1, 5, 19, high))};  // p5 = 5 (nearest rank 1 of 20), p95 = high
    return input;
  };
  GpuProfile p = ComputeGpuProfile(input_with(kFluctuatingHighPercent));
  EXPECT_DOUBLE_EQ(p.gpus[0].p5_utilization, 5);
  EXPECT_DOUBLE_EQ(p.gpus[0].p95_utilization, kFluctuatingHighPercent);
  EXPECT_NE(FindingOf(p.gpus[0], "fluctuating"), nullptr);
  EXPECT_EQ(FindingOf(ComputeGpuProfile(input_with(kFluctuatingHighPercent - 0.1)).gpus[0], "fluctuating"),
            nullptr);
  // p5 at the idle threshold is not idle.
  ProfileInput steady;
  steady.gpus = {Gpu(0, Values(1, kIdleUtilizationPercent, 19, 90))};
  EXPECT_EQ(FindingOf(ComputeGpuProfile(steady).gpus[0], "fluctuating"), nullptr);
}

TEST(GpuProfileTest, PowerAndEnergySummaries) {
  ProfileInput input;
  GpuSeries g = Gpu(0, Values(3, 50, 0, 0));
  g.power = Series({100, 200, 300});
  g.energy = Series({10, 250, 700});
  input.gpus = {g};
  GpuProfile p = ComputeGpuProfile(input);
  EXPECT_EQ(p.gpus[0].mean_power_watts, 200);
  EXPECT_EQ(p.gpus[0].energy_joules, 700);
}

}  // namespace
}  // namespace mlcost::profile
