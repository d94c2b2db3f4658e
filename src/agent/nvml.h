// Nvml: the NVIDIA Management Library, loaded at run time with dlopen so mlcost needs neither
// NVIDIA headers nor the library to build or run; a machine without it simply has no GPU series.
#ifndef MLCOST_AGENT_NVML_H_
#define MLCOST_AGENT_NVML_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/nvml_api.h"
#include "mlcost/status.h"

namespace mlcost::agent {

// The environment variable that overrides the library path (tests point it at a fake library).
inline constexpr char kNvmlLibraryEnv[] = "MLCOST_NVML_LIBRARY";
inline constexpr char kNvmlDefaultLibrary[] = "libnvidia-ml.so.1";

// One reading of one GPU. A field is absent when the device or the driver does not support it
// (NVML_ERROR_NOT_SUPPORTED, MIG mode, an older driver lacking the function) or the call failed.
struct GpuReading {
  std::optional<double> utilization_percent;  // nvmlUtilization_t.gpu
  std::optional<double> memory_used_mib;
  std::optional<double> memory_total_mib;
  std::optional<double> power_watts;
  // The device's energy counter as read (since the driver loaded), in joules; the sampler reports
  // the difference from its first reading.
  std::optional<double> energy_joules;
  // Sum over the given pids of their SM utilisation in the samples NVML took since the previous
  // Read of this device (each pid's samples averaged), capped at 100; 0 when NVML has no sample
  // since (NVML_ERROR_NOT_FOUND: no process was active).
  std::optional<double> process_utilization_percent;
  // GPU memory the given pids hold (compute processes), MiB.
  std::optional<double> process_memory_mib;
};

// Thread-compatible: one thread calls Read at a time (the sampler's). NVML itself is thread-safe.
class Nvml {
 public:
  // dlopen()s `library_path` ("" = $MLCOST_NVML_LIBRARY when set, else libnvidia-ml.so.1),
  // resolves the functions and calls nvmlInit_v2. Errors (the caller treats each as "no GPU"):
  // NotFound when the library cannot be loaded (dlerror's text), Unavailable when a required
  // function (init, shutdown, device count, handle, name) is missing or nvmlInit_v2 or the device
  // enumeration fails (with NVML's return code). The functions measuring a device are optional.
  static Result<std::unique_ptr<Nvml>> Load(const std::string& library_path = "");

  // Calls nvmlShutdown and dlclose.
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  int device_count() const { return static_cast<int>(devices_.size()); }
  // The device's product name ("NVIDIA A100-SXM4-40GB"); "GPU <index>" when NVML gave none.
  const std::string& name(int index) const { return devices_[index].name; }

  // Reads device `index` (0 <= index < device_count()). `sorted_pids` (ascending) are the
  // processes whose GPU use is attributed to the run. Allocation-free once its buffers have grown
  // to the number of processes NVML reports.
  GpuReading Read(int index, const std::vector<int>& sorted_pids);

 private:
  struct Device {
    nvmlDevice_t handle = nullptr;
    std::string name;
    unsigned long long last_seen_us = 0;  // for nvmlDeviceGetProcessUtilization
  };
  struct Functions;

  Nvml(void* library, std::unique_ptr<Functions> fn);
  std::optional<double> ProcessUtilization(Device& device, const std::vector<int>& sorted_pids);
  std::optional<double> ProcessMemory(Device& device, const std::vector<int>& sorted_pids);

  void* library_;
  std::unique_ptr<Functions> fn_;
  std::vector<Device> devices_;
  std::vector<nvmlProcessUtilizationSample_t> samples_;
  std::vector<nvmlProcessInfo_t> processes_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_NVML_H_
