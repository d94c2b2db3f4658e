// A fake libnvidia-ml.so.1 for tests: implements the NVML functions mlcost calls with values
// scripted in the file named by $FAKE_NVML_SCRIPT. Its types are declared here from NVML's nvml.h
// independently of src/agent/nvml_api.h, so a layout mistake there shows up as wrong values.
//
// Script lines ('#' starts a comment):
//   init fail                      nvmlInit_v2 fails (NVML_ERROR_DRIVER_NOT_LOADED)
//   gpu N key=value ...            one tick of GPU N (GPUs are 0..max N)
// Keys: name (no spaces), util (%), mem_util (%), mem_used and mem_total (MiB), power (mW),
// energy (mJ, a counter), proc_util (% SM attributed to each direct child of the calling process),
// proc_mem (MiB held by each direct child). A key a tick omits keeps the previous tick's value;
// the value "na" makes that function answer NVML_ERROR_NOT_SUPPORTED.
// Each nvmlDeviceGetUtilizationRates call on a GPU moves it to its next tick (the first call
// reads tick 0); past the last tick it stays on the last one. Other functions read the current
// tick. Without $FAKE_NVML_SCRIPT, nvmlInit_v2 fails.
#include <dirent.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef int nvmlReturn_t;
typedef struct {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;
typedef struct {
  unsigned long long total, free, used;
} nvmlMemory_t;
typedef struct {
  unsigned int pid;
  unsigned long long timeStamp;
  unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId, computeInstanceId;
} nvmlProcessInfo_t;
}

namespace {

constexpr nvmlReturn_t kSuccess = 0;
constexpr nvmlReturn_t kInvalidArgument = 2;
constexpr nvmlReturn_t kNotSupported = 3;
constexpr nvmlReturn_t kNotFound = 6;
constexpr nvmlReturn_t kInsufficientSize = 7;
constexpr nvmlReturn_t kDriverNotLoaded = 9;
constexpr unsigned long long kMib = 1024ull * 1024ull;

struct Gpu {
  std::vector<std::map<std::string, std::string>> ticks;
  size_t next = 0;     // the tick the next utilization call reads
  size_t current = 0;  // the tick other calls read
};

std::mutex mu;
std::vector<Gpu> gpus;
// Device handles are pointers to these slots.
int slots[64];

Gpu* GpuOf(nvmlDevice_t device) {
  int* slot = reinterpret_cast<int*>(device);
  if (slot < slots || slot >= slots + 64) return nullptr;
  size_t index = static_cast<size_t>(slot - slots);
  return index < gpus.size() ? &gpus[index] : nullptr;
}

// The current tick's value of `key`: 1 and `out` set; 0 when never scripted; -1 for "na".
int Value(Gpu& gpu, const char* key, std::string* out) {
  if (gpu.ticks.empty()) return 0;
  auto it = gpu.ticks[gpu.current].find(key);
  if (it == gpu.ticks[gpu.current].end()) return 0;
  if (it->second == "na") return -1;
  *out = it->second;
  return 1;
}

// Reads a numeric key into `out`; the nvmlReturn_t to answer.
nvmlReturn_t Number(nvmlDevice_t device, const char* key, unsigned long long* out) {
  std::lock_guard<std::mutex> lock(mu);
  Gpu* gpu = GpuOf(device);
  if (gpu == nullptr || out == nullptr) return kInvalidArgument;
  std::string text;
  int found = Value(*gpu, key, &text);
  if (found <= 0) return kNotSupported;
  *out = std::strtoull(text.c_str(), nullptr, 10);
  return kSuccess;
}

// Direct children of this process (ppid == getpid()).
std::vector<unsigned int> Children() {
  std::vector<unsigned int> out;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return out;
  const long self = getpid();
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    if (std::sscanf(text.c_str() + paren + 1, " %c %ld", &state, &ppid) == 2 && ppid == self &&
        state != 'Z') {
      out.push_back(static_cast<unsigned int>(std::atol(e->d_name)));
    }
  }
  closedir(dir);
  return out;
}

bool LoadScript() {
  const char* path = std::getenv("FAKE_NVML_SCRIPT");
  if (path == nullptr) return false;
  std::ifstream in(path);
  if (!in) return false;
  gpus.clear();
  std::string line;
  while (std::getline(in, line)) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    if (word == "init") {
      std::string what;
      words >> what;
      if (what == "fail") return false;
      continue;
    }
    if (word != "gpu") continue;
    size_t index = 0;
    if (!(words >> index) || index >= 64) continue;
    if (gpus.size() <= index) gpus.resize(index + 1);
    std::map<std::string, std::string> tick =
        gpus[index].ticks.empty() ? std::map<std::string, std::string>() : gpus[index].ticks.back();
    while (words >> word) {
      size_t eq = word.find('=');
      if (eq != std::string::npos) tick[word.substr(0, eq)] = word.substr(eq + 1);
    }
    gpus[index].ticks.push_back(std::move(tick));
  }
  return true;
}

}  // namespace

extern "C" {

nvmlReturn_t nvmlInit_v2(void) {
  std::lock_guard<std::mutex> lock(mu);
  return LoadScript() ? kSuccess : kDriverNotLoaded;
}

nvmlReturn_t nvmlShutdown(void) { return kSuccess; }

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) {
  std::lock_guard<std::mutex> lock(mu);
  if (count == nullptr) return kInvalidArgument;
  *count = static_cast<unsigned int>(gpus.size());
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device) {
  std::lock_guard<std::mutex> lock(mu);
  if (device == nullptr || index >= gpus.size()) return kInvalidArgument;
  *device = reinterpret_cast<nvmlDevice_t>(&slots[index]);
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length) {
  std::lock_guard<std::mutex> lock(mu);
  Gpu* gpu = GpuOf(device);
  if (gpu == nullptr || name == nullptr || length == 0) return kInvalidArgument;
  std::string text;
  if (Value(*gpu, "name", &text) <= 0) return kNotSupported;
  if (text.size() + 1 > length) return kInsufficientSize;
  std::memcpy(name, text.c_str(), text.size() + 1);
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t* utilization) {
  {
    std::lock_guard<std::mutex> lock(mu);
    Gpu* gpu = GpuOf(device);
    if (gpu == nullptr || utilization == nullptr) return kInvalidArgument;
    if (!gpu->ticks.empty()) {
      gpu->current = gpu->next < gpu->ticks.size() ? gpu->next : gpu->ticks.size() - 1;
      ++gpu->next;
    }
  }
  unsigned long long util = 0, mem_util = 0;
  nvmlReturn_t rc = Number(device, "util", &util);
  if (rc != kSuccess) return rc;
  if (Number(device, "mem_util", &mem_util) != kSuccess) mem_util = 0;
  utilization->gpu = static_cast<unsigned int>(util);
  utilization->memory = static_cast<unsigned int>(mem_util);
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
  unsigned long long used = 0, total = 0;
  nvmlReturn_t rc = Number(device, "mem_used", &used);
  if (rc == kSuccess) rc = Number(device, "mem_total", &total);
  if (rc != kSuccess) return rc;
  if (memory == nullptr) return kInvalidArgument;
  memory->total = total * kMib;
  memory->used = used * kMib;
  memory->free = memory->total - memory->used;
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* milliwatts) {
  unsigned long long v = 0;
  nvmlReturn_t rc = Number(device, "power", &v);
  if (rc == kSuccess) *milliwatts = static_cast<unsigned int>(v);
  return rc;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long* millijoules) {
  return Number(device, "energy", millijoules);
}

nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device, nvmlProcessUtilizationSample_t* samples,
                                             unsigned int* count, unsigned long long last_seen) {
  unsigned long long util = 0;
  nvmlReturn_t rc = Number(device, "proc_util", &util);
  if (rc != kSuccess) return rc;
  if (count == nullptr) return kInvalidArgument;
  std::vector<unsigned int> children = Children();
  if (children.empty() || util == 0) return kNotFound;
  if (samples == nullptr || *count < children.size()) {
    *count = static_cast<unsigned int>(children.size());
    return kInsufficientSize;
  }
  timeval now{};
  gettimeofday(&now, nullptr);
  unsigned long long now_us = static_cast<unsigned long long>(now.tv_sec) * 1000000ull + now.tv_usec;
  for (size_t i = 0; i < children.size(); ++i) {
    samples[i] = nvmlProcessUtilizationSample_t{
        children[i], now_us > last_seen ? now_us : last_seen + 1, static_cast<unsigned int>(util), 0, 0, 0};
  }
  *count = static_cast<unsigned int>(children.size());
  return kSuccess;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int* count,
                                                     nvmlProcessInfo_t* infos) {
  unsigned long long mib = 0;
  nvmlReturn_t rc = Number(device, "proc_mem", &mib);
  if (rc != kSuccess) return rc;
  if (count == nullptr) return kInvalidArgument;
  std::vector<unsigned int> children = Children();
  if (infos == nullptr || *count < children.size()) {
    *count = static_cast<unsigned int>(children.size());
    return children.empty() ? kSuccess : kInsufficientSize;
  }
  for (size_t i = 0; i < children.size(); ++i) {
    infos[i] = nvmlProcessInfo_t{children[i], mib * kMib, 0xFFFFFFFFu, 0xFFFFFFFFu};
  }
  *count = static_cast<unsigned int>(children.size());
  return kSuccess;
}

}  // extern "C"
