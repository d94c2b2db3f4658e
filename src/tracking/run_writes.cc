// TrackingService's run writes: create, update, delete/restore, log-batch, delete-tag.
#include <algorithm>

#include "tracking/experiment_queries.h"
#include "tracking/read_pool.h"
#include "tracking/run_names.h"
#include "tracking/run_queries.h"
#include "tracking/sql_bind.h"
#include "tracking/tracking_service.h"
#include "tracking/validation.h"
#include "tracking/write_batcher.h"

namespace mlcost::tracking {
namespace {

constexpr const char* kRunNameTag = "mlflow.runName";
constexpr const char* kUserTag = "mlflow.user";

Result<RunState*> ActiveRun(WriteContext& ctx, const std::string& run_id) {
  ASSIGN_OR_RETURN(RunState * state, ctx.Run(run_id));
  if (state->lifecycle_stage != "active") {
    return InvalidArgument("The run " + run_id + " must be in the 'active' state. Current state is " +
                           state->lifecycle_stage + ".");
  }
  return state;
}

Status WriteTag(store::Connection& conn, const std::string& run_id, const KeyValue& tag) {
  RETURN_IF_ERROR(conn.Exec("DELETE FROM tags WHERE run_id = ? AND key = ?", run_id, tag.key));
  RETURN_IF_ERROR(conn.Exec("INSERT INTO tags VALUES (?, ?, ?)", run_id, tag.key, tag.value));
  if (tag.key == kRunNameTag) {
    RETURN_IF_ERROR(conn.Exec("UPDATE runs SET run_name = ? WHERE run_id = ?", tag.value, run_id));
  }
  return Status::Ok();
}

// Params are write-once: the same value again is fine, a different value is refused.
Status WriteParams(store::Connection& conn, const std::string& run_id, const std::vector<KeyValue>& params) {
  if (params.empty()) return Status::Ok();
  std::vector<SqlValue> keys;
  for (const KeyValue& p : params) keys.emplace_back(p.key);
  ASSIGN_OR_RETURN(auto stmt, conn.Prepare("SELECT key, value FROM params WHERE run_id = ? AND key IN (" +
                                           Placeholders(keys.size()) + ")"));
  RETURN_IF_ERROR(stmt.BindString(1, run_id));
  ASSIGN_OR_RETURN(uint64_t next, BindAll(stmt, 2, keys));
  (void)next;
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  std::vector<std::string> existing;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    std::string key = rows.GetString(0, r), value = rows.GetString(1, r);
    auto it = std::find_if(params.begin(), params.end(), [&](const KeyValue& p) { return p.key == key; });
    if (it->value != value) {
      return InvalidArgument("Changing param values is not allowed. Param with key='" + key +
                             "' was already logged with value='" + value + "' for run ID='" + run_id +
                             "'. Attempted logging new value '" + it->value + "'.");
    }
    existing.push_back(key);
  }
  for (const KeyValue& p : params) {
    if (std::find(existing.begin(), existing.end(), p.key) != existing.end()) continue;
    RETURN_IF_ERROR(conn.Exec("INSERT INTO params VALUES (?, ?, ?)", run_id, p.key, p.value));
  }
  return Status::Ok();
}

// "<location>/<run_id>/artifacts", without doubling a slash the location ends with (MLflow's
// append_to_uri_path).
std::string RunArtifactUri(std::string location, const std::string& run_id) {
  if (!location.empty() && location.back() == '/') location.pop_back();
  return location + "/" + run_id + "/artifacts";
}

bool IsTerminal(const std::string& status) {
  return status == "FINISHED" || status == "FAILED" || status == "KILLED";
}

}  // namespace

Result<Run> TrackingService::CreateRun(const CreateRunRequest& request) {
  ASSIGN_OR_RETURN(int64_t experiment_id, ParseExperimentId(request.experiment_id));
  for (const KeyValue& t : request.tags) RETURN_IF_ERROR(ValidateTag(t));
  std::vector<KeyValue> tags = request.tags;
  auto tag_value = [&](const char* key) -> const std::string* {
    for (const KeyValue& t : tags)
      if (t.key == key) return &t.value;
    return nullptr;
  };
  std::string run_name = request.run_name;
  if (const std::string* tagged = tag_value(kRunNameTag)) {
    if (!run_name.empty() && run_name != *tagged) {
      return InvalidArgument(
          "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
          "different values (run_name='" +
          run_name + "', mlflow.runName='" + *tagged + "').");
    }
    run_name = *tagged;
  }
  if (run_name.empty()) run_name = GenerateRunName();
  if (!tag_value(kRunNameTag)) tags.push_back({kRunNameTag, run_name});
  std::string user_id = request.user_id;
  if (user_id.empty()) {
    if (const std::string* u = tag_value(kUserTag)) user_id = *u;
  }
  int64_t start_us;
  if (request.start_time_ms) {
    ASSIGN_OR_RETURN(start_us, MillisToMicros(*request.start_time_ms, "start_time"));
  } else {
    start_us = clock_.Now() / 1000 * 1000;  // ms resolution, as MLflow
  }
  const std::string run_id = GenerateRunId();

  RETURN_IF_ERROR(writer_->Submit([&](WriteContext& ctx) -> Status {
    store::Connection& conn = ctx.conn();
    auto experiment = LoadExperiment(conn, experiment_id);
    if (!experiment.ok()) return experiment.status();
    if (experiment->lifecycle_stage != "active") {
      return InvalidArgument("Could not create run under non-active experiment with id " +
                             std::to_string(experiment_id) + ".");
    }
    std::string artifact_uri = RunArtifactUri(experiment->artifact_location, run_id);
    RETURN_IF_ERROR(conn.Exec("INSERT INTO runs VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, ?, 'active', NULL)",
                              run_id, experiment_id, run_name, user_id, store::Timestamp{start_us},
                              artifact_uri));
    RETURN_IF_ERROR(conn.Exec("INSERT INTO run_attempts VALUES (?, 1, ?, NULL, NULL)", run_id,
                              store::Timestamp{start_us}));
    for (const KeyValue& t : tags) RETURN_IF_ERROR(WriteTag(conn, run_id, t));
    ctx.PutRun(run_id, RunState{experiment_id, "active"});
    return Status::Ok();
  }));
  return GetRun(run_id);
}

Result<RunInfo> TrackingService::UpdateRun(const UpdateRunRequest& request) {
  RETURN_IF_ERROR(ValidateRunId(request.run_id));
  if (request.status) RETURN_IF_ERROR(ValidateRunStatus(*request.status));
  if (request.end_cause) {
    RETURN_IF_ERROR(ValidateEndCause(*request.end_cause));
    if (!request.status || !IsTerminal(*request.status)) {
      return InvalidArgument("end_cause '" + *request.end_cause +
                             "' needs a terminal status (FINISHED, FAILED or KILLED)");
    }
  }
  if (request.attempt_start_ms && (!request.status || IsTerminal(*request.status))) {
    return InvalidArgument("attempt_start_time needs a non-terminal status (RUNNING) in the same request");
  }
  std::optional<int64_t> end_us;
  if (request.end_time_ms) {
    ASSIGN_OR_RETURN(int64_t us, MillisToMicros(*request.end_time_ms, "end_time"));
    end_us = us;
  }
  if (request.run_name) {
    RETURN_IF_ERROR(ValidateTagValue(*request.run_name, "run_name"));
  }
  const Micros now = clock_.Now() / 1000 * 1000;
  RETURN_IF_ERROR(writer_->Submit([&](WriteContext& ctx) -> Status {
    store::Connection& conn = ctx.conn();
    ASSIGN_OR_RETURN(RunState * state, ActiveRun(ctx, request.run_id));
    (void)state;
    if (request.status || end_us) {
      ASSIGN_OR_RETURN(
          auto upd,
          conn.Prepare("UPDATE runs SET status = coalesce(?, status), end_time = coalesce(?, end_time) "
                       "WHERE run_id = ?"));
      RETURN_IF_ERROR(upd.BindOptionalString(1, request.status));
      RETURN_IF_ERROR(end_us ? upd.BindTimestamp(2, *end_us) : upd.BindNull(2));
      RETURN_IF_ERROR(upd.BindString(3, request.run_id));
      RETURN_IF_ERROR(upd.Execute().status());
    }
    if (request.status) {
      // A terminal status ends the open attempt. A non-terminal one on a run whose last attempt
      // has ended (MLflow clients resume a finished run this way) starts a new attempt now, so
      // the time between the two is not billed; on a running run it changes nothing.
      bool terminal = IsTerminal(*request.status);
      if (terminal) {
        RETURN_IF_ERROR(conn.Exec(
            "UPDATE run_attempts SET end_time = coalesce(end_time, ?), end_cause = "
            "lower(?) WHERE run_id = ? AND attempt = (SELECT max(attempt) FROM "
            "run_attempts WHERE run_id = ?)",
            store::Timestamp{end_us.value_or(now)}, request.end_cause.value_or(*request.status), request.run_id,
            request.run_id));
      } else {
        RETURN_IF_ERROR(
            conn.Exec("INSERT INTO run_attempts SELECT run_id, attempt + 1, ?, NULL, NULL FROM "
                      "run_attempts WHERE run_id = ? AND end_time IS NOT NULL AND attempt = "
                      "(SELECT max(attempt) FROM run_attempts WHERE run_id = ?)",
                      store::Timestamp{request.attempt_start_ms ? *request.attempt_start_ms * 1000 : now},
                      request.run_id, request.run_id));
      }
      if (terminal && !end_us) {
        // The run ends when its last attempt does (a resumed run ends again, later).
        RETURN_IF_ERROR(
            conn.Exec("UPDATE runs SET end_time = coalesce((SELECT max(end_time) FROM "
                      "run_attempts WHERE run_id = ?), end_time, ?) WHERE run_id = ?",
                      request.run_id, store::Timestamp{now}, request.run_id));
      }
    }
    if (request.run_name && !request.run_name->empty()) {
      RETURN_IF_ERROR(WriteTag(conn, request.run_id, {kRunNameTag, *request.run_name}));
    }
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(auto conn, reads().Acquire());
  return LoadRunInfo(*conn, request.run_id);
}

static Status SetRunStage(WriteContext& ctx, const std::string& run_id, const std::string& stage,
                          Micros now) {
  ASSIGN_OR_RETURN(RunState * state, ctx.Run(run_id));
  ASSIGN_OR_RETURN(
      auto upd, ctx.conn().Prepare("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_id = ?"));
  RETURN_IF_ERROR(upd.BindString(1, stage));
  RETURN_IF_ERROR(stage == "deleted" ? upd.BindTimestamp(2, now) : upd.BindNull(2));
  RETURN_IF_ERROR(upd.BindString(3, run_id));
  RETURN_IF_ERROR(upd.Execute().status());
  state->lifecycle_stage = stage;
  return Status::Ok();
}

Status TrackingService::DeleteRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) { return SetRunStage(ctx, run_id, "deleted", now); });
}

Status TrackingService::RestoreRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) { return SetRunStage(ctx, run_id, "active", now); });
}

Status TrackingService::LogBatch(const LogBatchRequest& request) {
  RETURN_IF_ERROR(ValidateRunId(request.run_id));
  RETURN_IF_ERROR(ValidateLogBatch(request.metrics, request.params, request.tags));
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    ASSIGN_OR_RETURN(RunState * state, ActiveRun(ctx, request.run_id));
    (void)state;
    RETURN_IF_ERROR(WriteParams(ctx.conn(), request.run_id, request.params));
    for (const KeyValue& t : request.tags) RETURN_IF_ERROR(WriteTag(ctx.conn(), request.run_id, t));
    ctx.AddPoints(request.run_id, request.metrics);
    return Status::Ok();
  });
}

Status TrackingService::DeleteTag(const std::string& run_id, const std::string& key) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    ASSIGN_OR_RETURN(RunState * state, ActiveRun(ctx, run_id));
    (void)state;
    ASSIGN_OR_RETURN(auto result,
                     ctx.conn().Run("DELETE FROM tags WHERE run_id = ? AND key = ?", run_id, key));
    if (result.RowsChanged() == 0) {
      return NotFound("No tag with name: " + key + " in run with id " + run_id);
    }
    return Status::Ok();
  });
}

}  // namespace mlcost::tracking
