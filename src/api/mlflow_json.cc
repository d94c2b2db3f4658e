#include "api/mlflow_json.h"

#include "api/request_args.h"

namespace mlcost::api {

nlohmann::json MlflowKeyValues(const std::vector<KeyValue>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const KeyValue& kv : items) out.push_back({{"key", kv.key}, {"value", kv.value}});
  return out;
}

nlohmann::json MlflowExperiment(const Experiment& e) {
  nlohmann::json out = {{"experiment_id", e.experiment_id},
                        {"name", e.name},
                        {"artifact_location", e.artifact_location},
                        {"lifecycle_stage", e.lifecycle_stage},
                        {"last_update_time", e.last_update_time_ms},
                        {"creation_time", e.creation_time_ms}};
  if (!e.tags.empty()) out["tags"] = MlflowKeyValues(e.tags);
  return out;
}

nlohmann::json MlflowRunInfo(const RunInfo& info) {
  nlohmann::json out = {{"run_id", info.run_id},
                        {"run_uuid", info.run_id},
                        {"run_name", info.run_name},
                        {"experiment_id", info.experiment_id},
                        {"user_id", info.user_id},
                        {"status", info.status},
                        {"artifact_uri", info.artifact_uri},
                        {"lifecycle_stage", info.lifecycle_stage}};
  if (info.start_time_ms) out["start_time"] = *info.start_time_ms;
  if (info.end_time_ms) out["end_time"] = *info.end_time_ms;
  return out;
}

nlohmann::json MlflowMetric(const Metric& m) {
  return {{"key", m.key}, {"value", DoubleToJson(m.value)}, {"timestamp", m.timestamp_ms}, {"step", m.step}};
}

nlohmann::json MlflowRun(const Run& run) {
  nlohmann::json data = nlohmann::json::object();
  if (!run.metrics.empty()) {
    nlohmann::json metrics = nlohmann::json::array();
    for (const Metric& m : run.metrics) metrics.push_back(MlflowMetric(m));
    data["metrics"] = std::move(metrics);
  }
  if (!run.params.empty()) data["params"] = MlflowKeyValues(run.params);
  if (!run.tags.empty()) data["tags"] = MlflowKeyValues(run.tags);
  return {{"info", MlflowRunInfo(run.info)}, {"data", std::move(data)}, {"inputs", nlohmann::json::object()}};
}

}  // namespace mlcost::api
