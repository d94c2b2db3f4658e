// Sampler: samples a process tree (procfs) and every GPU (NVML) at a fixed interval on its own
// thread and hands aggregated MetricPoints to a sink once per window.
#ifndef MLCOST_AGENT_SAMPLER_H_
#define MLCOST_AGENT_SAMPLER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/metric_point.h"
#include "agent/nvml.h"
#include "agent/process_tree_sampler.h"
#include "agent/sample_window.h"
#include "common/clock.h"

namespace mlcost::agent {

struct SamplerOptions {
  // Time between two samples. Default 1 s.
  std::chrono::milliseconds interval{1000};
  // Samples aggregated into one point per series. Default 5 (one point per 5 s at 1 s).
  int window_samples = 5;
  // Read GPUs through NVML. Default true.
  bool use_gpus = true;
  // The NVML library; "" = $MLCOST_NVML_LIBRARY, else libnvidia-ml.so.1.
  std::string nvml_library;
  // procfs mount point. Default /proc.
  std::string proc_root = "/proc";
};

// Receives each window's points, on the sampler's thread (or the caller's, in Stop/Flush). It
// must not block for long: sampling waits for it.
using MetricSink = std::function<void(std::vector<MetricPoint>)>;

// Start, then Stop (or destroy) once; the public methods are not for concurrent use except that
// Stop may be called while the thread runs.
class Sampler {
 public:
  // Loads NVML now (so gpu_names() is known before Start); a missing library or a failing
  // nvmlInit means no GPU series, with the reason in gpu_note(). Nothing is sampled yet.
  // `clock` stamps the points and must outlive the sampler.
  Sampler(int root_pid, SamplerOptions options, MetricSink sink, const Clock& clock = SystemClock::Get());
  // Stops (and flushes) if still running.
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // The GPUs sampled, by NVML index; empty without NVML.
  const std::vector<std::string>& gpu_names() const { return gpu_names_; }
  // Why there are no GPU series ("cannot load libnvidia-ml.so.1: ..."); "" when NVML loaded.
  const std::string& gpu_note() const { return gpu_note_; }

  // Takes the first sample (the baseline rates are measured from) and starts the thread, which
  // samples every interval and calls the sink after every window_samples samples.
  void Start();
  // Wakes and joins the thread, then flushes the partial window (if it holds a sample).
  // Idempotent; safe without Start.
  void Stop();

  // One sample now, on the calling thread. The thread calls it; tests call it directly instead of
  // Start to sample deterministically.
  void SampleOnce();
  // Sends the current window to the sink now, if it holds a sample.
  void Flush();

 private:
  void Loop();

  SamplerOptions options_;
  MetricSink sink_;
  const Clock& clock_;
  ProcessTreeSampler tree_;
  std::unique_ptr<Nvml> nvml_;
  std::vector<std::string> gpu_names_;
  std::string gpu_note_;

  // Owned by whichever thread samples (the sampler's after Start, else the caller's).
  SampleWindow window_;
  Tick tick_;
  std::vector<std::optional<double>> energy_start_;
  std::optional<TreeReading> last_reading_;
  std::chrono::steady_clock::time_point last_time_;
  int64_t step_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_SAMPLER_H_
