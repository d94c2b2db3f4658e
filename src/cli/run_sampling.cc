#include "cli/run_sampling.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr char kLogBatch[] = "/api/2.0/mlflow/runs/log-batch";
constexpr double kMinInterval = 0.01;
constexpr double kMaxInterval = 3600;

}  // namespace

Status ValidateSampleInterval(double seconds) {
  if (seconds == 0 || (seconds >= kMinInterval && seconds <= kMaxInterval)) return Status::Ok();
  return InvalidArgument("--sample-interval " + std::to_string(seconds) +
                         ": expected 0 (off) or 0.01 to 3600 seconds");
}

json LogBatchBody(const std::string& run_id, const std::vector<agent::MetricPoint>& points) {
  json metrics = json::array();
  for (const agent::MetricPoint& p : points) {
    metrics.push_back({{"key", p.key}, {"value", p.value}, {"timestamp", p.timestamp_ms}, {"step", p.step}});
  }
  return json{{"run_id", run_id}, {"metrics", std::move(metrics)}};
}

std::vector<std::pair<std::string, std::string>> MachineTags(const std::vector<std::string>& gpu_names,
                                                             const std::vector<std::string>& user_tags) {
  std::vector<std::pair<std::string, std::string>> tags;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > 0) tags.emplace_back("mlcost.cpu_count", std::to_string(cpus));
  if (gpu_names.empty()) return tags;
  std::string names;
  for (const std::string& name : gpu_names) names += (names.empty() ? "" : ", ") + name;
  tags.emplace_back("mlcost.gpu_names", names);
  bool user_count = false;
  for (const std::string& tag : user_tags) user_count = user_count || tag.rfind("mlcost.gpu_count=", 0) == 0;
  if (!user_count) tags.emplace_back("mlcost.gpu_count", std::to_string(gpu_names.size()));
  return tags;
}

std::unique_ptr<agent::Sampler> StartRunSampler(agent::EventSpool& spool, std::function<void()> notify,
                                                const std::string& run_id, int pid, double interval_s,
                                                const std::vector<std::string>& user_tags, bool record_machine_tags,
                                                std::shared_ptr<std::atomic<int64_t>> next_step) {
  if (interval_s <= 0) return nullptr;
  auto warned = std::make_shared<std::atomic<bool>>(false);
  const int64_t first_step = next_step->load();
  agent::MetricSink sink = [&spool, notify, warned, run_id, next_step, first_step](std::vector<agent::MetricPoint> points) {
    for (agent::MetricPoint& p : points) {
      p.step += first_step;
      if (p.step >= next_step->load()) next_step->store(p.step + 1);
    }
    Status spooled = spool.Append("POST", kLogBatch, LogBatchBody(run_id, points));
    if (!spooled.ok() && !warned->exchange(true)) {
      std::fprintf(stderr, "mlcost run: warning: could not record system metrics of run %s (dropped): %s\n",
                   run_id.c_str(), spooled.message().c_str());
    }
    if (notify) notify();
  };
  agent::SamplerOptions options;
  options.interval = std::chrono::milliseconds(static_cast<int64_t>(interval_s * 1000 + 0.5));
  auto sampler = std::make_unique<agent::Sampler>(pid, options, std::move(sink));
  // Silent on a machine without NVML (the usual CPU box); one line when the user named a library.
  if (sampler->gpu_names().empty() && std::getenv(agent::kNvmlLibraryEnv) != nullptr) {
    std::fprintf(stderr, "mlcost run: note: no GPU series: %s\n", sampler->gpu_note().c_str());
  }
  if (record_machine_tags) {
    json tags = json::array();
    for (const auto& [key, value] : MachineTags(sampler->gpu_names(), user_tags)) {
      tags.push_back({{"key", key}, {"value", value}});
    }
    Status tagged = spool.Append("POST", kLogBatch, {{"run_id", run_id}, {"tags", std::move(tags)}});
    if (!tagged.ok()) {
      std::fprintf(stderr, "mlcost run: warning: could not record the machine tags of run %s: %s\n",
                   run_id.c_str(), tagged.message().c_str());
    }
    if (notify) notify();
  }
  sampler->Start();
  return sampler;
}

}  // namespace mlcost::cli
