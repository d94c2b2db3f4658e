// GpuProfile: what a performance engineer would write about a run's GPUs, computed from the
// system/ metric histories the sampler logged (docs/run.md, "GPU profile"): per GPU, never
// averaged across GPUs, each finding with the money it stands for.
#ifndef MLCOST_PROFILE_GPU_PROFILE_H_
#define MLCOST_PROFILE_GPU_PROFILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "mlcost/records.h"

namespace mlcost::profile {

// Thresholds. docs/run.md gives the reasoning for each; tests probe both sides of every one.
// A point (one sampler window) whose mean GPU utilisation is below this is an idle point.
inline constexpr double kIdleUtilizationPercent = 10;
// "GPU mostly idle" when at least this share of the points are idle.
inline constexpr double kMostlyIdleShare = 0.5;
// "Fluctuating": p95 of utilisation at least this while p5 is idle (below kIdleUtilizationPercent).
inline constexpr double kFluctuatingHighPercent = 70;
// The CPU of the process tree is busy at a point when it uses at least this percentage of the
// cores the run has (mlcost.cpu_count; one core when unknown).
inline constexpr double kCpuBusyPercentOfCores = 90;
// Storage I/O of the process tree is busy at a point at this many MiB/s (read + write) or more.
inline constexpr double kIoBusyMegabytesPerSecond = 50;
// "CPU bound" / "I/O bound" when at least this share of the points are idle-GPU points with a
// busy CPU / busy I/O.
inline constexpr double kBottleneckShare = 0.2;
// "Memory headroom" when the peak memory used is below this share of the GPU's memory...
inline constexpr double kMemoryHeadroomShare = 0.5;
// ...and a smaller GPU holds the peak with this factor to spare.
inline constexpr double kMemoryMargin = 1.25;
// Fewer points than this per GPU give statistics but no findings.
inline constexpr int kMinPoints = 3;

// One GPU's series, each a metric history (any order).
struct GpuSeries {
  int index = 0;
  std::string name;                  // "" when unknown
  std::vector<Metric> utilization;   // system/gpu_N_utilization_percentage
  std::vector<Metric> memory_used;   // system/gpu_N_memory_usage_megabytes (MiB)
  std::vector<Metric> memory_total;  // system/gpu_N_memory_total_megabytes
  std::vector<Metric> power;         // system/gpu_N_power_usage_watts
  std::vector<Metric> energy;        // system/gpu_N_energy_joules (counter since start)
};

struct ProfileInput {
  std::vector<GpuSeries> gpus;
  std::vector<Metric> cpu_percent;  // system/cpu_utilization_percentage (of one core)
  std::vector<Metric> disk_read;    // system/disk_read_megabytes_per_second
  std::vector<Metric> disk_write;   // system/disk_write_megabytes_per_second
  int cpu_count = 0;                // mlcost.cpu_count; 0 = unknown
  // The run's cost so far (absent when the run cannot be priced) and its currency.
  std::optional<Decimal> cost;
  std::string currency = "USD";
};

struct Finding {
  // "idle", "cpu_bound", "io_bound", "memory_headroom" or "fluctuating".
  std::string kind;
  // One sentence for a person, with the numbers.
  std::string message;
  // Share of the GPU's points the finding rests on (0..1); for memory_headroom, peak / total.
  double share = 0;
  // The money the finding stands for: share x the GPU's share of the run cost. Absent when the
  // run is not priced, and for memory_headroom (the saving depends on the instance moved to).
  std::optional<Decimal> money_impact;
};

struct GpuReport {
  int index = 0;
  std::string name;
  int points = 0;
  double mean_utilization = 0;
  double p5_utilization = 0;
  double p95_utilization = 0;
  double idle_share = 0;
  std::optional<double> peak_memory_mib;
  std::optional<double> total_memory_mib;
  std::optional<double> mean_power_watts;
  std::optional<double> energy_joules;
  // The run cost divided evenly over its GPUs; absent when not priced.
  std::optional<Decimal> cost_share;
  std::vector<Finding> findings;
};

struct GpuProfile {
  std::vector<GpuReport> gpus;  // by index
};

// Pure. Points of different series are matched by timestamp (the sampler stamps one window's
// points alike). A GPU with fewer than kMinPoints utilisation points gets statistics and no
// findings. Non-finite values are ignored.
GpuProfile ComputeGpuProfile(const ProfileInput& input);

}  // namespace mlcost::profile

#endif  // MLCOST_PROFILE_GPU_PROFILE_H_
