#include "profile/gpu_profile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace mlcost::profile {
namespace {

struct MemoryClass {
  int gib;
  const char* examples;
};
// GPU memory sizes sold in the clouds, smallest first.
constexpr MemoryClass kMemoryClasses[] = {
    {16, "T4, V100 16GB"}, {24, "A10G, L4"},        {32, "V100 32GB"},
    {40, "A100 40GB"},     {48, "L40S, RTX A6000"}, {80, "A100 80GB, H100"},
};

std::string Format(const char* format, double a, double b = 0, double c = 0) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer), format, a, b, c);
  return buffer;
}

// Nearest-rank percentile of sorted values; 0 for none.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

// timestamp -> value of the finite points of `series`; a repeated timestamp keeps the last.
std::map<int64_t, double> ByTime(const std::vector<Metric>& series) {
  std::map<int64_t, double> out;
  for (const Metric& m : series) {
    if (std::isfinite(m.value)) out[m.timestamp_ms] = m.value;
  }
  return out;
}

std::optional<double> Max(const std::vector<Metric>& series) {
  std::optional<double> out;
  for (const Metric& m : series) {
    if (std::isfinite(m.value)) out = out ? std::max(*out, m.value) : m.value;
  }
  return out;
}

// The value of the latest point.
std::optional<double> Latest(const std::vector<Metric>& series) {
  auto by_time = ByTime(series);
  if (by_time.empty()) return std::nullopt;
  return by_time.rbegin()->second;
}

std::optional<double> Mean(const std::vector<Metric>& series) {
  auto by_time = ByTime(series);
  if (by_time.empty()) return std::nullopt;
  double sum = 0;
  for (const auto& [t, v] : by_time) sum += v;
  return sum / static_cast<double>(by_time.size());
}

// cost_share x count / total, exact up to Decimal's 12 digits.
std::optional<Decimal> Impact(const std::optional<Decimal>& cost_share, int count, int total) {
  if (!cost_share || total <= 0) return std::nullopt;
  return cost_share->MulInt(count).DivInt(total);
}

double Percent(double share) { return share * 100.0; }

void AddMemoryFinding(GpuReport& r) {
  if (!r.peak_memory_mib || !r.total_memory_mib || *r.total_memory_mib <= 0) return;
  const double share = *r.peak_memory_mib / *r.total_memory_mib;
  if (share >= kMemoryHeadroomShare) return;
  const double needed_mib = *r.peak_memory_mib * kMemoryMargin;
  for (const MemoryClass& c : kMemoryClasses) {
    const double class_mib = c.gib * 1024.0;
    if (class_mib >= *r.total_memory_mib) break;  // not smaller than what the run has
    if (class_mib < needed_mib) continue;
    Finding f;
    f.kind = "memory_headroom";
    f.share = share;
    f.message = Format("peak memory %.0f MiB is %.0f%% of the GPU's %.0f MiB", *r.peak_memory_mib,
                       Percent(share), *r.total_memory_mib) +
                ": it would fit a " + std::to_string(c.gib) + " GB GPU (" + c.examples +
                ") with 25% to spare; a smaller GPU, or a larger batch on this one, costs less per sample";
    r.findings.push_back(std::move(f));
    return;
  }
}

GpuReport Analyze(const GpuSeries& gpu, const ProfileInput& input, const std::map<int64_t, double>& cpu,
                  const std::map<int64_t, double>& read, const std::map<int64_t, double>& write,
                  std::optional<Decimal> cost_share) {
  GpuReport r;
  r.index = gpu.index;
  r.name = gpu.name;
  r.cost_share = cost_share;
  auto util = ByTime(gpu.utilization);
  r.points = static_cast<int>(util.size());
  r.peak_memory_mib = Max(gpu.memory_used);
  r.total_memory_mib = Latest(gpu.memory_total);
  r.mean_power_watts = Mean(gpu.power);
  r.energy_joules = Max(gpu.energy);
  if (util.empty()) return r;

  std::vector<double> values;
  int idle = 0, cpu_bound = 0, io_bound = 0;
  const double cores = input.cpu_count > 0 ? input.cpu_count : 1;
  for (const auto& [t, v] : util) {
    values.push_back(v);
    if (v >= kIdleUtilizationPercent) continue;
    ++idle;
    if (auto c = cpu.find(t); c != cpu.end() && c->second >= kCpuBusyPercentOfCores * cores) ++cpu_bound;
    double io = 0;
    if (auto it = read.find(t); it != read.end()) io += it->second;
    if (auto it = write.find(t); it != write.end()) io += it->second;
    if (io >= kIoBusyMegabytesPerSecond) ++io_bound;
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  const int n = r.points;
  r.mean_utilization = sum / n;
  r.p5_utilization = Percentile(values, 0.05);
  r.p95_utilization = Percentile(values, 0.95);
  r.idle_share = static_cast<double>(idle) / n;
  if (n < kMinPoints) return r;

  if (r.idle_share >= kMostlyIdleShare) {
    r.findings.push_back(
        {"idle",
         Format("GPU idle (utilisation below %.0f%%) %.0f%% of the time; mean utilisation %.1f%%",
                kIdleUtilizationPercent, Percent(r.idle_share), r.mean_utilization),
         r.idle_share, Impact(cost_share, idle, n)});
  }
  if (double share = static_cast<double>(cpu_bound) / n; share >= kBottleneckShare) {
    r.findings.push_back(
        {"cpu_bound",
         Format("data-loader / CPU bound: %.0f%% of the time the GPU was idle while the job's processes used "
                "%.0f%% or more of %.0f cores",
                Percent(share), kCpuBusyPercentOfCores, cores),
         share, Impact(cost_share, cpu_bound, n)});
  }
  if (double share = static_cast<double>(io_bound) / n; share >= kBottleneckShare) {
    r.findings.push_back({"io_bound",
                          Format("I/O bound: %.0f%% of the time the GPU was idle while the job read or wrote "
                                 "%.0f MiB/s or more",
                                 Percent(share), kIoBusyMegabytesPerSecond),
                          share, Impact(cost_share, io_bound, n)});
  }
  AddMemoryFinding(r);
  if (r.p95_utilization >= kFluctuatingHighPercent && r.p5_utilization < kIdleUtilizationPercent) {
    r.findings.push_back(
        {"fluctuating",
         Format("utilisation fluctuates: p95 %.0f%% but p5 %.0f%%, idle %.0f%% of the time (bursts "
                "of work between waits: look at input pipeline, synchronisation, checkpointing)",
                r.p95_utilization, r.p5_utilization, Percent(r.idle_share)),
         r.idle_share, Impact(cost_share, idle, n)});
  }
  return r;
}

}  // namespace

GpuProfile ComputeGpuProfile(const ProfileInput& input) {
  GpuProfile profile;
  const auto cpu = ByTime(input.cpu_percent);
  const auto read = ByTime(input.disk_read);
  const auto write = ByTime(input.disk_write);
  std::optional<Decimal> cost_share;
  if (input.cost && !input.gpus.empty())
    cost_share = input.cost->DivInt(static_cast<int64_t>(input.gpus.size()));
  for (const GpuSeries& gpu : input.gpus)
    profile.gpus.push_back(Analyze(gpu, input, cpu, read, write, cost_share));
  std::sort(profile.gpus.begin(), profile.gpus.end(),
            [](const GpuReport& a, const GpuReport& b) { return a.index < b.index; });
  return profile;
}

}  // namespace mlcost::profile
