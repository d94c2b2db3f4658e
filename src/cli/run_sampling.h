// The sampling part of `mlcost run`: a Sampler on the command's process tree whose windows are
// posted to the run (MLflow runs/log-batch), and the machine tags (CPUs, GPUs) of the run.
#ifndef MLCOST_CLI_RUN_SAMPLING_H_
#define MLCOST_CLI_RUN_SAMPLING_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/event_spool.h"
#include "agent/metric_point.h"
#include "agent/sampler.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// Validates --sample-interval: 0 (off) or 0.01 .. 3600 seconds; InvalidArgument otherwise.
Status ValidateSampleInterval(double seconds);

// The MLflow runs/log-batch body for `points` of `run_id`.
nlohmann::json LogBatchBody(const std::string& run_id, const std::vector<agent::MetricPoint>& points);

// Tags describing the machine: mlcost.cpu_count (online CPUs), and when the sampler sees GPUs
// mlcost.gpu_names (", "-joined, by index) and mlcost.gpu_count unless `user_tags` (KEY=VALUE
// strings of --tag) already set it: the user's count is what prices the run.
std::vector<std::pair<std::string, std::string>> MachineTags(const std::vector<std::string>& gpu_names,
                                                             const std::vector<std::string>& user_tags);

// Starts sampling `pid`'s process tree every `interval_s` seconds (the caller has validated it;
// <= 0 returns nullptr) and appends each window for run `run_id` to `spool` (then calls
// `notify`), so the points reach the server in order with everything else, even after an outage.
// A failed append is warned about once on stderr; the command is never disturbed. With
// `record_machine_tags`, also spools MachineTags. Call Stop() on the result after the command
// has ended: the last partial window is spooled then. Steps continue from `next_step` (so a
// restarted attempt's series follow the previous attempt's), which is advanced past each point.
std::unique_ptr<agent::Sampler> StartRunSampler(agent::EventSpool& spool, std::function<void()> notify,
                                                const std::string& run_id, int pid, double interval_s,
                                                const std::vector<std::string>& user_tags, bool record_machine_tags,
                                                std::shared_ptr<std::atomic<int64_t>> next_step);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_SAMPLING_H_
