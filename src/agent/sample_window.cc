#include "agent/sample_window.h"

#include <algorithm>

namespace mlcost::agent {
namespace {

// The order of series_ the constructor creates; Add relies on it.
constexpr int kHostSeries = 5;
constexpr int kSeriesPerGpu = 8;

}  // namespace

std::string GpuKey(int index, const char* name) { return "system/gpu_" + std::to_string(index) + "_" + name; }

SampleWindow::SampleWindow(int gpu_count) : gpu_count_(gpu_count) {
  AddSeries("system/cpu_utilization_percentage", Reduce::kMean);
  AddSeries("system/process_rss_megabytes", Reduce::kMax);
  AddSeries("system/disk_read_megabytes_per_second", Reduce::kMean);
  AddSeries("system/disk_write_megabytes_per_second", Reduce::kMean);
  AddSeries("system/process_count", Reduce::kMax);
  for (int g = 0; g < gpu_count; ++g) {
    AddSeries(GpuKey(g, "utilization_percentage"), Reduce::kMean);
    AddSeries(GpuKey(g, "memory_usage_megabytes"), Reduce::kMax);
    AddSeries(GpuKey(g, "memory_usage_percentage"), Reduce::kMax);
    AddSeries(GpuKey(g, "memory_total_megabytes"), Reduce::kLast);
    AddSeries(GpuKey(g, "power_usage_watts"), Reduce::kMean);
    AddSeries(GpuKey(g, "energy_joules"), Reduce::kLast);
    AddSeries(GpuKey(g, "process_utilization_percentage"), Reduce::kMean);
    AddSeries(GpuKey(g, "process_memory_usage_megabytes"), Reduce::kMax);
  }
}

void SampleWindow::AddSeries(std::string key, Reduce reduce) {
  Series s;
  s.key = std::move(key);
  s.reduce = reduce;
  series_.push_back(std::move(s));
}

void SampleWindow::Put(Series& s, const std::optional<double>& v) {
  if (!v) return;
  s.sum += *v;
  s.max = s.count == 0 ? *v : std::max(s.max, *v);
  s.last = *v;
  ++s.count;
}

void SampleWindow::Add(const Tick& tick) {
  Put(series_[0], tick.cpu_percent);
  Put(series_[1], tick.rss_mib);
  Put(series_[2], tick.read_mb_per_s);
  Put(series_[3], tick.write_mb_per_s);
  Put(series_[4], static_cast<double>(tick.processes));
  int gpus = std::min<int>(gpu_count_, static_cast<int>(tick.gpus.size()));
  for (int g = 0; g < gpus; ++g) {
    const GpuTick& t = tick.gpus[g];
    Series* s = &series_[kHostSeries + g * kSeriesPerGpu];
    Put(s[0], t.utilization_percent);
    Put(s[1], t.memory_used_mib);
    std::optional<double> percent;
    if (t.memory_used_mib && t.memory_total_mib && *t.memory_total_mib > 0) {
      percent = *t.memory_used_mib / *t.memory_total_mib * 100.0;
    }
    Put(s[2], percent);
    Put(s[3], t.memory_total_mib);
    Put(s[4], t.power_watts);
    Put(s[5], t.energy_joules);
    Put(s[6], t.process_utilization_percent);
    Put(s[7], t.process_memory_mib);
  }
  ++ticks_;
}

std::vector<MetricPoint> SampleWindow::Flush(int64_t timestamp_ms, int64_t step) {
  std::vector<MetricPoint> points;
  if (ticks_ == 0) return points;
  for (Series& s : series_) {
    if (s.count == 0) continue;
    double value = s.reduce == Reduce::kMean ? s.sum / s.count : s.reduce == Reduce::kMax ? s.max : s.last;
    points.push_back(MetricPoint{s.key, value, timestamp_ms, step});
    s.sum = s.max = s.last = 0;
    s.count = 0;
  }
  ticks_ = 0;
  return points;
}

}  // namespace mlcost::agent
