// TrackingService: experiments, runs (with attempts), params, tags, metrics, and the teams,
// users and projects runs are attributed to. Both /api/v1 and the MLflow-compatible routes call
// it, so MLflow's validation rules (tracking/validation.h) apply to both.
//
// Writes go through one WriteBatcher: each call returns only after its data is committed
// (durable in DuckDB's WAL), and concurrent calls share commits. Every call is atomic: on error
// nothing of it is written. Thread-safe.
#ifndef MLCOST_TRACKING_TRACKING_SERVICE_H_
#define MLCOST_TRACKING_TRACKING_SERVICE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "mlcost/records.h"
#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::tracking {

class WriteBatcher;
class ReadPool;

enum class ViewType { kActiveOnly = 1, kDeletedOnly = 2, kAll = 3 };

struct SearchExperimentsRequest {
  std::string filter;                 // MLflow syntax: name / tags.<k> with = != LIKE ILIKE
  std::vector<std::string> order_by;  // "name ASC", "creation_time DESC", ...
  ViewType view = ViewType::kActiveOnly;
  int64_t max_results = 1000;         // 1..50000
  std::string page_token;
};

struct SearchExperimentsResponse {
  std::vector<Experiment> experiments;
  std::string next_page_token;  // "" when there are no more
};

struct SearchRunsRequest {
  std::vector<std::string> experiment_ids;
  std::string filter;                 // MLflow's search filter syntax
  std::vector<std::string> order_by;  // "metrics.loss ASC", "params.lr", "attributes.start_time DESC"
  ViewType view = ViewType::kActiveOnly;
  int64_t max_results = 1000;         // 1..50000
  std::string page_token;
};

struct SearchRunsResponse {
  std::vector<Run> runs;
  std::string next_page_token;
};

struct CreateRunRequest {
  std::string experiment_id = "0";
  std::string user_id;
  std::string run_name;                 // "" = generated "adjective-noun-NNN" (or mlflow.runName tag)
  std::optional<int64_t> start_time_ms;  // absent = now
  std::vector<KeyValue> tags;
};

struct UpdateRunRequest {
  std::string run_id;
  std::optional<std::string> status;  // RUNNING | SCHEDULED | FINISHED | FAILED | KILLED
  std::optional<int64_t> end_time_ms;
  std::optional<std::string> run_name;
  // Why the open attempt ended (ValidateEndCause); only with a terminal status. Default: the
  // status in lower case ("finished", "failed", "killed").
  std::optional<std::string> end_cause;
  // When the attempt a RUNNING status opens began (an agent that delivers late says when it
  // really started). Default: now. Only with a non-terminal status.
  std::optional<int64_t> attempt_start_ms;
};

struct LogBatchRequest {
  std::string run_id;
  std::vector<Metric> metrics;
  std::vector<KeyValue> params;
  std::vector<KeyValue> tags;
};

struct MetricHistoryRequest {
  std::string run_id;
  std::string metric_key;
  int64_t max_results = 0;  // 0 = all
  std::string page_token;
};

struct MetricHistoryResponse {
  std::vector<Metric> metrics;  // ordered by step, timestamp; identical points appear once
  std::string next_page_token;
};

struct TrackingOptions {
  // Prefix of artifact URIs: experiment "3" gets "<root>/3", its runs "<root>/3/<run_id>/artifacts".
  std::string artifact_root = "mlflow-artifacts:";
};

class TrackingService {
 public:
  // Runs migrations on `db` and makes sure experiment "0" named "Default" exists. `db` and
  // `clock` must outlive the service.
  static Result<std::unique_ptr<TrackingService>> Open(store::Database& db, const Clock& clock,
                                                       TrackingOptions options = {});
  ~TrackingService();

  // Experiments. Ids are decimal strings. NotFound for unknown ids; AlreadyExists for a taken
  // name (names are unique across active and deleted experiments, as in MLflow).
  Result<std::string> CreateExperiment(const std::string& name, const std::string& artifact_location,
                                       const std::vector<KeyValue>& tags);
  Result<Experiment> GetExperiment(const std::string& experiment_id);
  // Prefers an active experiment over a deleted one of the same name.
  Result<Experiment> GetExperimentByName(const std::string& name);
  Result<SearchExperimentsResponse> SearchExperiments(const SearchExperimentsRequest& request);
  Status RenameExperiment(const std::string& experiment_id, const std::string& new_name);
  // Delete and restore move the experiment's runs with it. Deleting experiment "0" is refused
  // (InvalidArgument), as MLflow does; deleting a deleted experiment or restoring an active one is
  // NotFound, as in MLflow's SQL store.
  Status DeleteExperiment(const std::string& experiment_id);
  Status RestoreExperiment(const std::string& experiment_id);
  Status SetExperimentTag(const std::string& experiment_id, const std::string& key, const std::string& value);

  // Runs. A new run gets attempt 1. Logging to a deleted run is InvalidArgument.
  Result<Run> CreateRun(const CreateRunRequest& request);
  Result<RunInfo> UpdateRun(const UpdateRunRequest& request);
  Status DeleteRun(const std::string& run_id);
  Status RestoreRun(const std::string& run_id);
  Result<Run> GetRun(const std::string& run_id);
  Result<SearchRunsResponse> SearchRuns(const SearchRunsRequest& request);
  // The run's attempts, oldest first; empty (not NotFound) for an unknown run.
  Result<std::vector<RunAttempt>> GetAttempts(const std::string& run_id);

  // Metrics, params and tags. Validated against MLflow's limits first; written atomically.
  // Params are write-once: the same value again is accepted, a different one is InvalidArgument.
  Status LogBatch(const LogBatchRequest& request);
  Status DeleteTag(const std::string& run_id, const std::string& key);
  Result<MetricHistoryResponse> GetMetricHistory(const MetricHistoryRequest& request);

  // Teams, users, projects: keyed by name. Upserts create or replace.
  Status UpsertTeam(const Team& team);
  Status UpsertUser(const User& user);
  Status UpsertProject(const Project& project);
  Result<std::vector<Team>> ListTeams();
  Result<std::vector<User>> ListUsers();
  Result<std::vector<Project>> ListProjects();
  Status DeleteTeam(const std::string& name);
  Status DeleteUser(const std::string& name);
  Status DeleteProject(const std::string& name);

  const Clock& clock() const { return clock_; }
  ReadPool& reads() { return *reads_; }
  // Transactions the writer has committed so far; fewer than the writes when calls share commits.
  uint64_t write_commits() const;

 private:
  TrackingService(store::Database& db, const Clock& clock, TrackingOptions options);
  store::Database& db_;
  const Clock& clock_;
  TrackingOptions options_;
  std::unique_ptr<WriteBatcher> writer_;
  std::unique_ptr<ReadPool> reads_;
};

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_TRACKING_SERVICE_H_
