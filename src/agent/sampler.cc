#include "agent/sampler.h"

#include <algorithm>

namespace mlcost::agent {
namespace {

constexpr double kBytesPerMib = 1024.0 * 1024.0;

}  // namespace

Sampler::Sampler(int root_pid, SamplerOptions options, MetricSink sink, const Clock& clock)
    : options_(std::move(options)),
      sink_(std::move(sink)),
      clock_(clock),
      tree_(root_pid, options_.proc_root),
      window_(0) {
  if (options_.use_gpus) {
    auto nvml = Nvml::Load(options_.nvml_library);
    if (nvml.ok()) {
      nvml_ = std::move(*nvml);
      for (int i = 0; i < nvml_->device_count(); ++i) gpu_names_.push_back(nvml_->name(i));
      if (gpu_names_.empty()) gpu_note_ = "NVML reports no GPU";
    } else {
      gpu_note_ = nvml.status().message();
    }
  } else {
    gpu_note_ = "GPU sampling off";
  }
  const int gpus = static_cast<int>(gpu_names_.size());
  window_ = SampleWindow(gpus);
  tick_.gpus.resize(gpus);
  energy_start_.resize(gpus);
  options_.window_samples = std::max(1, options_.window_samples);
}

Sampler::~Sampler() { Stop(); }

void Sampler::SampleOnce() {
  const auto now = std::chrono::steady_clock::now();
  TreeReading reading = tree_.Read();
  tick_.processes = reading.processes;
  tick_.rss_mib = static_cast<double>(reading.rss_bytes) / kBytesPerMib;
  tick_.cpu_percent.reset();
  tick_.read_mb_per_s.reset();
  tick_.write_mb_per_s.reset();
  if (last_reading_) {
    const double seconds = std::chrono::duration<double>(now - last_time_).count();
    if (seconds > 0) {
      // A counter that went down lost a process reaped outside the tree: count nothing then.
      auto delta = [](uint64_t now_value, uint64_t before) {
        return now_value > before ? static_cast<double>(now_value - before) : 0.0;
      };
      tick_.cpu_percent = delta(reading.cpu_ticks, last_reading_->cpu_ticks) /
                          static_cast<double>(ProcessTreeSampler::TicksPerSecond()) / seconds * 100.0;
      tick_.read_mb_per_s = delta(reading.read_bytes, last_reading_->read_bytes) / kBytesPerMib / seconds;
      tick_.write_mb_per_s = delta(reading.write_bytes, last_reading_->write_bytes) / kBytesPerMib / seconds;
    }
  }
  last_reading_ = reading;
  last_time_ = now;

  for (size_t g = 0; g < tick_.gpus.size(); ++g) {
    GpuReading r = nvml_->Read(static_cast<int>(g), tree_.pids());
    GpuTick& t = tick_.gpus[g];
    t.utilization_percent = r.utilization_percent;
    t.memory_used_mib = r.memory_used_mib;
    t.memory_total_mib = r.memory_total_mib;
    t.power_watts = r.power_watts;
    t.process_utilization_percent = r.process_utilization_percent;
    t.process_memory_mib = r.process_memory_mib;
    t.energy_joules.reset();
    if (r.energy_joules) {
      if (!energy_start_[g]) energy_start_[g] = r.energy_joules;
      t.energy_joules = std::max(0.0, *r.energy_joules - *energy_start_[g]);
    }
  }
  window_.Add(tick_);
}

void Sampler::Flush() {
  if (window_.size() == 0) return;
  std::vector<MetricPoint> points = window_.Flush(clock_.Now() / 1000, step_++);
  if (sink_ && !points.empty()) sink_(std::move(points));
}

void Sampler::Start() {
  if (thread_.joinable()) return;
  SampleOnce();  // the baseline: rates start from here
  thread_ = std::thread([this] { Loop(); });
}

void Sampler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    SampleOnce();
    if (window_.size() >= options_.window_samples) Flush();
    lock.lock();
  }
}

void Sampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Flush();
}

}  // namespace mlcost::agent
