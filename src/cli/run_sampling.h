// The sampling part of `mlcost run`: a Sampler on the command's process tree whose windows are
// posted to the run (MLflow runs/log-batch), and the machine tags (CPUs, GPUs) of the run.
#ifndef MLCOST_CLI_RUN_SAMPLING_H_
#define MLCOST_CLI_RUN_SAMPLING_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/metric_point.h"
#include "agent/sampler.h"
#include "cli/api_client.h"
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
// <= 0 returns nullptr) and posts each window to run `run_id` through its own ApiClient on
// `server_url` (the caller's client is not thread-safe). A failed post is warned about once on
// stderr and its points are dropped; the command is never disturbed. Records MachineTags through
// `client` (a failure is a warning). Call Stop() on the result after the command has ended.
std::unique_ptr<agent::Sampler> StartRunSampler(ApiClient& client, const std::string& server_url,
                                                const std::string& run_id, int pid, double interval_s,
                                                const std::vector<std::string>& user_tags);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_SAMPLING_H_
