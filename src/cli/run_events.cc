#include "cli/run_events.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr char kLogBatch[] = "/api/2.0/mlflow/runs/log-batch";

std::string RunPath(const std::string& run_id) { return "/api/v1/runs/" + run_id; }

}  // namespace

Status SpoolAttemptStart(agent::EventSpool& spool, const std::string& run_id, int64_t start_ms) {
  return spool.Append("PATCH", RunPath(run_id), {{"status", "RUNNING"}, {"attempt_start_time", start_ms}});
}

Status SpoolAttemptEnd(agent::EventSpool& spool, const std::string& run_id, const std::string& status,
                       const std::string& end_cause, int64_t end_ms) {
  return spool.Append("PATCH", RunPath(run_id),
                      {{"status", status}, {"end_time", end_ms}, {"end_cause", end_cause}});
}

Status SpoolTags(agent::EventSpool& spool, const std::string& run_id,
                 const std::vector<std::pair<std::string, std::string>>& tags) {
  json list = json::array();
  for (const auto& [key, value] : tags) list.push_back({{"key", key}, {"value", value}});
  return spool.Append("POST", kLogBatch, {{"run_id", run_id}, {"tags", std::move(list)}});
}

agent::DeliveryResult DeliverEvent(ApiClient& client, const agent::SpoolEvent& event) {
  Result<json> answer = event.method == "PATCH" ? client.Patch(event.path, event.body)
                        : event.method == "PUT" ? client.Put(event.path, event.body)
                                                : client.Post(event.path, event.body);
  if (answer.ok()) return {};
  switch (answer.status().code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
    case StatusCode::kResourceExhausted:
      return {agent::DeliveryOutcome::kRetry, answer.status().message()};
    default:
      return {agent::DeliveryOutcome::kRejected, answer.status().message()};
  }
}

}  // namespace mlcost::cli
