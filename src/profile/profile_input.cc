#include "profile/profile_input.h"

#include <cstdlib>
#include <map>
#include <string_view>

namespace mlcost::profile {
namespace {

constexpr std::string_view kGpuPrefix = "system/gpu_";

Result<std::vector<Metric>> History(tracking::TrackingService& tracking, const std::string& run_id,
                                    const std::string& key) {
  tracking::MetricHistoryRequest request;
  request.run_id = run_id;
  request.metric_key = key;
  ASSIGN_OR_RETURN(tracking::MetricHistoryResponse history, tracking.GetMetricHistory(request));
  return std::move(history.metrics);
}

std::string TagValue(const Run& run, const char* key) {
  std::string value;
  for (const KeyValue& tag : run.tags) {
    if (tag.key == key) value = tag.value;  // a later tag wins
  }
  return value;
}

std::vector<std::string> SplitNames(const std::string& joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t comma = joined.find(", ", start);
    out.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

}  // namespace

int GpuIndexOfKey(const std::string& key) {
  if (key.compare(0, kGpuPrefix.size(), kGpuPrefix) != 0) return -1;
  size_t i = kGpuPrefix.size();
  size_t digits_end = i;
  while (digits_end < key.size() && digits_end - i < 4 && key[digits_end] >= '0' && key[digits_end] <= '9') {
    ++digits_end;
  }
  if (digits_end == i || digits_end >= key.size() || key[digits_end] != '_') return -1;
  return std::atoi(key.substr(i, digits_end - i).c_str());
}

Result<ProfileInput> LoadProfileInput(tracking::TrackingService& tracking, const Run& run) {
  ProfileInput input;
  const std::string& id = run.info.run_id;
  std::map<int, bool> indices;
  for (const Metric& m : run.metrics) {
    if (int index = GpuIndexOfKey(m.key); index >= 0) indices[index] = true;
  }
  const std::vector<std::string> names = SplitNames(TagValue(run, kTagGpuNames));
  for (const auto& [index, unused] : indices) {
    GpuSeries gpu;
    gpu.index = index;
    if (static_cast<size_t>(index) < names.size()) gpu.name = names[index];
    const std::string prefix = std::string(kGpuPrefix) + std::to_string(index) + "_";
    ASSIGN_OR_RETURN(gpu.utilization, History(tracking, id, prefix + "utilization_percentage"));
    ASSIGN_OR_RETURN(gpu.memory_used, History(tracking, id, prefix + "memory_usage_megabytes"));
    ASSIGN_OR_RETURN(gpu.memory_total, History(tracking, id, prefix + "memory_total_megabytes"));
    ASSIGN_OR_RETURN(gpu.power, History(tracking, id, prefix + "power_usage_watts"));
    ASSIGN_OR_RETURN(gpu.energy, History(tracking, id, prefix + "energy_joules"));
    input.gpus.push_back(std::move(gpu));
  }
  if (input.gpus.empty()) return input;  // nothing to profile: skip the host series
  ASSIGN_OR_RETURN(input.cpu_percent, History(tracking, id, "system/cpu_utilization_percentage"));
  ASSIGN_OR_RETURN(input.disk_read, History(tracking, id, "system/disk_read_megabytes_per_second"));
  ASSIGN_OR_RETURN(input.disk_write, History(tracking, id, "system/disk_write_megabytes_per_second"));
  const std::string cpus = TagValue(run, kTagCpuCount);
  if (!cpus.empty() && cpus.size() <= 6 && cpus.find_first_not_of("0123456789") == std::string::npos) {
    input.cpu_count = std::atoi(cpus.c_str());
  }
  return input;
}

}  // namespace mlcost::profile
