// SampleWindow: aggregates the sampler's per-interval readings into one MetricPoint per series
// per window (docs/run.md, "Sampling"): the mean for rates and utilisations, the maximum for
// memory (a peak is what decides whether a job fits), the last value for counters and totals.
#ifndef MLCOST_AGENT_SAMPLE_WINDOW_H_
#define MLCOST_AGENT_SAMPLE_WINDOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/metric_point.h"

namespace mlcost::agent {

// One GPU at one tick; an absent field is not measured on that GPU.
struct GpuTick {
  std::optional<double> utilization_percent;
  std::optional<double> memory_used_mib;
  std::optional<double> memory_total_mib;
  std::optional<double> power_watts;
  std::optional<double> energy_joules;  // consumed since the sampler started
  std::optional<double> process_utilization_percent;
  std::optional<double> process_memory_mib;
};

// One sampler tick. Rates are absent on the first tick (there is nothing to difference yet).
struct Tick {
  std::optional<double> cpu_percent;  // of one core; 250 = two and a half cores busy
  std::optional<double> read_mb_per_s;
  std::optional<double> write_mb_per_s;
  double rss_mib = 0;
  int processes = 0;
  std::vector<GpuTick> gpus;  // by NVML device index
};

// Thread-compatible.
class SampleWindow {
 public:
  // Series for `gpu_count` GPUs are prepared up front so Add never allocates.
  explicit SampleWindow(int gpu_count);

  // Adds one tick; `tick.gpus` beyond gpu_count are ignored.
  void Add(const Tick& tick);
  // Ticks added since the last Flush.
  int size() const { return ticks_; }

  // One point per series with at least one value in the window, stamped `timestamp_ms` and
  // `step`, then empties the window. Empty when no tick was added.
  std::vector<MetricPoint> Flush(int64_t timestamp_ms, int64_t step);

 private:
  enum class Reduce { kMean, kMax, kLast };
  struct Series {
    std::string key;
    Reduce reduce = Reduce::kMean;
    double sum = 0;
    double max = 0;
    double last = 0;
    int count = 0;
  };

  void AddSeries(std::string key, Reduce reduce);
  static void Put(Series& s, const std::optional<double>& v);

  std::vector<Series> series_;
  int gpu_count_;
  int ticks_ = 0;
};

// The key of a per-GPU series: GpuKey(0, "utilization_percentage") =
// "system/gpu_0_utilization_percentage".
std::string GpuKey(int index, const char* name);

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_SAMPLE_WINDOW_H_
