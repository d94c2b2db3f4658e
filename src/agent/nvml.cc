#include "agent/nvml.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace mlcost::agent {
namespace {

constexpr double kBytesPerMib = 1024.0 * 1024.0;
// NVML_VALUE_NOT_AVAILABLE in an unsigned long long field.
constexpr unsigned long long kNotAvailable = static_cast<unsigned long long>(-1);
constexpr size_t kInitialProcessCapacity = 64;

template <typename Fn>
Fn Symbol(void* library, const char* name) {
  return reinterpret_cast<Fn>(dlsym(library, name));
}

bool Contains(const std::vector<int>& sorted_pids, unsigned int pid) {
  return std::binary_search(sorted_pids.begin(), sorted_pids.end(), static_cast<int>(pid));
}

}  // namespace

struct Nvml::Functions {
  nvmlInit_v2_fn init = nullptr;
  nvmlShutdown_fn shutdown = nullptr;
  nvmlDeviceGetCount_v2_fn count = nullptr;
  nvmlDeviceGetHandleByIndex_v2_fn handle = nullptr;
  nvmlDeviceGetName_fn name = nullptr;
  nvmlDeviceGetUtilizationRates_fn utilization = nullptr;
  nvmlDeviceGetMemoryInfo_fn memory = nullptr;
  nvmlDeviceGetPowerUsage_fn power = nullptr;
  nvmlDeviceGetTotalEnergyConsumption_fn energy = nullptr;
  nvmlDeviceGetProcessUtilization_fn process_utilization = nullptr;
  nvmlDeviceGetComputeRunningProcesses_fn compute_processes = nullptr;
};

Result<std::unique_ptr<Nvml>> Nvml::Load(const std::string& library_path) {
  std::string path = library_path;
  if (path.empty()) {
    const char* env = std::getenv(kNvmlLibraryEnv);
    path = env != nullptr && *env != '\0' ? env : kNvmlDefaultLibrary;
  }
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* error = dlerror();
    return NotFound("cannot load " + path + ": " + (error != nullptr ? error : "unknown error"));
  }
  auto fn = std::make_unique<Functions>();
  fn->init = Symbol<nvmlInit_v2_fn>(library, "nvmlInit_v2");
  fn->shutdown = Symbol<nvmlShutdown_fn>(library, "nvmlShutdown");
  fn->count = Symbol<nvmlDeviceGetCount_v2_fn>(library, "nvmlDeviceGetCount_v2");
  fn->handle = Symbol<nvmlDeviceGetHandleByIndex_v2_fn>(library, "nvmlDeviceGetHandleByIndex_v2");
  fn->name = Symbol<nvmlDeviceGetName_fn>(library, "nvmlDeviceGetName");
  fn->utilization = Symbol<nvmlDeviceGetUtilizationRates_fn>(library, "nvmlDeviceGetUtilizationRates");
  fn->memory = Symbol<nvmlDeviceGetMemoryInfo_fn>(library, "nvmlDeviceGetMemoryInfo");
  fn->power = Symbol<nvmlDeviceGetPowerUsage_fn>(library, "nvmlDeviceGetPowerUsage");
  fn->energy = Symbol<nvmlDeviceGetTotalEnergyConsumption_fn>(library, "nvmlDeviceGetTotalEnergyConsumption");
  fn->process_utilization =
      Symbol<nvmlDeviceGetProcessUtilization_fn>(library, "nvmlDeviceGetProcessUtilization");
  // _v3 and _v2 fill the same nvmlProcessInfo_t; the unversioned (v1) one has another layout.
  fn->compute_processes =
      Symbol<nvmlDeviceGetComputeRunningProcesses_fn>(library, "nvmlDeviceGetComputeRunningProcesses_v3");
  if (fn->compute_processes == nullptr) {
    fn->compute_processes =
        Symbol<nvmlDeviceGetComputeRunningProcesses_fn>(library, "nvmlDeviceGetComputeRunningProcesses_v2");
  }
  if (fn->init == nullptr || fn->shutdown == nullptr || fn->count == nullptr || fn->handle == nullptr ||
      fn->name == nullptr) {
    dlclose(library);
    return Unavailable(path +
                       " lacks a required NVML function (nvmlInit_v2, nvmlShutdown, "
                       "nvmlDeviceGetCount_v2, nvmlDeviceGetHandleByIndex_v2 or nvmlDeviceGetName)");
  }
  if (nvmlReturn_t rc = fn->init(); rc != kNvmlSuccess) {
    dlclose(library);
    return Unavailable("nvmlInit_v2 failed (NVML return code " + std::to_string(rc) + ")");
  }
  // From here the destructor shuts NVML down and closes the library.
  std::unique_ptr<Nvml> nvml(new Nvml(library, std::move(fn)));
  unsigned int count = 0;
  if (nvmlReturn_t rc = nvml->fn_->count(&count); rc != kNvmlSuccess) {
    return Unavailable("nvmlDeviceGetCount_v2 failed (NVML return code " + std::to_string(rc) + ")");
  }
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (unsigned int i = 0; i < count; ++i) {
    Device device;
    if (nvmlReturn_t rc = nvml->fn_->handle(i, &device.handle); rc != kNvmlSuccess) {
      return Unavailable("nvmlDeviceGetHandleByIndex_v2(" + std::to_string(i) +
                         ") failed (NVML return code " + std::to_string(rc) + ")");
    }
    char name[kNvmlDeviceNameBufferSize] = {};
    if (nvml->fn_->name(device.handle, name, sizeof(name)) == kNvmlSuccess && name[0] != '\0') {
      device.name = name;
    } else {
      device.name = "GPU " + std::to_string(i);
    }
    // Per-process samples taken before the run started are not the run's.
    device.last_seen_us = static_cast<unsigned long long>(now_us);
    nvml->devices_.push_back(std::move(device));
  }
  nvml->samples_.resize(kInitialProcessCapacity);
  nvml->processes_.resize(kInitialProcessCapacity);
  return nvml;
}

Nvml::Nvml(void* library, std::unique_ptr<Functions> fn) : library_(library), fn_(std::move(fn)) {}

Nvml::~Nvml() {
  fn_->shutdown();
  dlclose(library_);
}

GpuReading Nvml::Read(int index, const std::vector<int>& sorted_pids) {
  Device& device = devices_[index];
  GpuReading r;
  if (fn_->utilization != nullptr) {
    nvmlUtilization_t u{};
    if (fn_->utilization(device.handle, &u) == kNvmlSuccess) r.utilization_percent = u.gpu;
  }
  if (fn_->memory != nullptr) {
    nvmlMemory_t m{};
    if (fn_->memory(device.handle, &m) == kNvmlSuccess) {
      r.memory_used_mib = static_cast<double>(m.used) / kBytesPerMib;
      r.memory_total_mib = static_cast<double>(m.total) / kBytesPerMib;
    }
  }
  if (fn_->power != nullptr) {
    unsigned int milliwatts = 0;
    if (fn_->power(device.handle, &milliwatts) == kNvmlSuccess) r.power_watts = milliwatts / 1000.0;
  }
  if (fn_->energy != nullptr) {
    unsigned long long millijoules = 0;
    if (fn_->energy(device.handle, &millijoules) == kNvmlSuccess) {
      r.energy_joules = static_cast<double>(millijoules) / 1000.0;
    }
  }
  r.process_utilization_percent = ProcessUtilization(device, sorted_pids);
  r.process_memory_mib = ProcessMemory(device, sorted_pids);
  return r;
}

std::optional<double> Nvml::ProcessUtilization(Device& device, const std::vector<int>& sorted_pids) {
  if (fn_->process_utilization == nullptr) return std::nullopt;
  unsigned int count = static_cast<unsigned int>(samples_.size());
  nvmlReturn_t rc = fn_->process_utilization(device.handle, samples_.data(), &count, device.last_seen_us);
  if (rc == kNvmlErrorInsufficientSize && count > samples_.size()) {
    samples_.resize(count);
    rc = fn_->process_utilization(device.handle, samples_.data(), &count, device.last_seen_us);
  }
  if (rc == kNvmlErrorNotFound) return 0.0;  // no process was active since the last call
  if (rc != kNvmlSuccess) return std::nullopt;
  count = std::min<unsigned int>(count, static_cast<unsigned int>(samples_.size()));
  // Each pid's samples are averaged, then the tree's pids are summed. Sorting by pid groups them.
  std::sort(samples_.begin(), samples_.begin() + count,
            [](const auto& a, const auto& b) { return a.pid < b.pid; });
  double total = 0;
  for (unsigned int i = 0; i < count;) {
    unsigned int j = i;
    double sum = 0;
    for (; j < count && samples_[j].pid == samples_[i].pid; ++j) {
      sum += samples_[j].smUtil;
      device.last_seen_us = std::max(device.last_seen_us, samples_[j].timeStamp);
    }
    if (Contains(sorted_pids, samples_[i].pid)) total += sum / (j - i);
    i = j;
  }
  return std::min(total, 100.0);
}

std::optional<double> Nvml::ProcessMemory(Device& device, const std::vector<int>& sorted_pids) {
  if (fn_->compute_processes == nullptr) return std::nullopt;
  unsigned int count = static_cast<unsigned int>(processes_.size());
  nvmlReturn_t rc = fn_->compute_processes(device.handle, &count, processes_.data());
  if (rc == kNvmlErrorInsufficientSize && count > processes_.size()) {
    processes_.resize(count + 8);  // processes may start between the two calls
    count = static_cast<unsigned int>(processes_.size());
    rc = fn_->compute_processes(device.handle, &count, processes_.data());
  }
  if (rc != kNvmlSuccess) return std::nullopt;
  count = std::min<unsigned int>(count, static_cast<unsigned int>(processes_.size()));
  double bytes = 0;
  for (unsigned int i = 0; i < count; ++i) {
    if (processes_[i].usedGpuMemory != kNotAvailable && Contains(sorted_pids, processes_[i].pid)) {
      bytes += static_cast<double>(processes_[i].usedGpuMemory);
    }
  }
  return bytes / kBytesPerMib;
}

}  // namespace mlcost::agent
