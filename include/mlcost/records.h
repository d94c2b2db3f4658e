// The records mlcost tracks, as plain values. Times are milliseconds since the epoch where they
// mirror MLflow's wire (start_time, end_time, metric timestamps), so the MLflow routes pass them
// through unchanged.
#ifndef MLCOST_RECORDS_H_
#define MLCOST_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlcost {

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// The value of `key` in `items` (the last one when repeated: a later tag wins), or nullptr.
inline const std::string* FindKey(const std::vector<KeyValue>& items, std::string_view key) {
  const std::string* found = nullptr;
  for (const KeyValue& kv : items) {
    if (kv.key == key) found = &kv.value;
  }
  return found;
}

struct Experiment {
  std::string experiment_id;
  std::string name;
  std::string artifact_location;
  std::string lifecycle_stage;  // "active" | "deleted"
  int64_t creation_time_ms = 0;
  int64_t last_update_time_ms = 0;
  std::vector<KeyValue> tags;
};

// MLflow's RunStatus names: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.
struct RunInfo {
  std::string run_id;
  std::string run_name;
  std::string experiment_id;
  std::string user_id;
  std::string status = "RUNNING";
  std::optional<int64_t> start_time_ms;
  std::optional<int64_t> end_time_ms;
  std::string artifact_uri;
  std::string lifecycle_stage = "active";
};

struct Metric {
  std::string key;
  double value = 0;  // may be NaN or +-Inf, as MLflow allows
  int64_t timestamp_ms = 0;
  int64_t step = 0;
};

struct Run {
  RunInfo info;
  std::vector<Metric> metrics;  // the latest value of each key
  std::vector<KeyValue> params;
  std::vector<KeyValue> tags;
};

// One start-to-end span of a logical run; a restart after a crash or preemption adds one.
struct RunAttempt {
  int attempt = 1;
  int64_t start_time_ms = 0;
  std::optional<int64_t> end_time_ms;
  std::string end_cause;  // "", "finished", "failed", "killed", "preempted", "crashed"
};

struct Team {
  std::string name;
  std::string description;
  int64_t creation_time_ms = 0;
};

struct User {
  std::string name;
  std::optional<std::string> team;
  std::string email;
  int64_t creation_time_ms = 0;
};

struct Project {
  std::string name;
  std::optional<std::string> team;
  std::string description;
  int64_t creation_time_ms = 0;
};

}  // namespace mlcost

#endif  // MLCOST_RECORDS_H_
