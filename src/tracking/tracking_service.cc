#include "tracking/tracking_service.h"

#include "store/migrations.h"
#include "tracking/experiment_queries.h"
#include "tracking/page_token.h"
#include "tracking/read_pool.h"
#include "tracking/run_queries.h"
#include "tracking/search_filter.h"
#include "tracking/sql_bind.h"
#include "tracking/validation.h"
#include "tracking/write_batcher.h"

namespace mlcost::tracking {
namespace {

std::string LifecycleFilter(ViewType view, const char* alias) {
  std::string column = std::string(alias) + ".lifecycle_stage";
  switch (view) {
    case ViewType::kActiveOnly:
      return column + " = 'active'";
    case ViewType::kDeletedOnly:
      return column + " = 'deleted'";
    case ViewType::kAll:
      return "TRUE";
  }
  return "TRUE";
}

}  // namespace

TrackingService::TrackingService(store::Database& db, const Clock& clock, TrackingOptions options)
    : db_(db), clock_(clock), options_(std::move(options)), reads_(std::make_unique<ReadPool>(db)) {}

TrackingService::~TrackingService() = default;

uint64_t TrackingService::write_commits() const { return writer_->commits(); }

Result<std::unique_ptr<TrackingService>> TrackingService::Open(store::Database& db, const Clock& clock,
                                                               TrackingOptions options) {
  {
    ASSIGN_OR_RETURN(store::Connection conn, db.Connect());
    ASSIGN_OR_RETURN(int version, store::Migrate(conn, store::SchemaMigrations()));
    (void)version;
  }
  auto service = std::unique_ptr<TrackingService>(new TrackingService(db, clock, std::move(options)));
  ASSIGN_OR_RETURN(service->writer_, WriteBatcher::Start(db));
  // MLflow's default experiment: id 0, "Default", always present.
  const std::string location = service->options_.artifact_root + "/0";
  const Micros now = clock.Now();
  RETURN_IF_ERROR(service->writer_->Submit([&](WriteContext& ctx) -> Status {
    return ctx.conn().Exec(
        "INSERT INTO experiments SELECT 0, 'Default', ?, 'active', ?, ? "
        "WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE experiment_id = 0)",
        location, store::Timestamp{now}, store::Timestamp{now});
  }));
  return service;
}

Result<std::string> TrackingService::CreateExperiment(const std::string& name,
                                                      const std::string& artifact_location,
                                                      const std::vector<KeyValue>& tags) {
  RETURN_IF_ERROR(ValidateExperimentName(name));
  for (const KeyValue& t : tags) RETURN_IF_ERROR(ValidateExperimentTag(t.key, t.value));
  const Micros now = clock_.Now();
  int64_t id = -1;
  RETURN_IF_ERROR(writer_->Submit([&](WriteContext& ctx) -> Status {
    store::Connection& conn = ctx.conn();
    ASSIGN_OR_RETURN(auto existing, FindExperimentByName(conn, name));
    if (existing) return AlreadyExists("Experiment(name=" + name + ") already exists.");
    ASSIGN_OR_RETURN(auto seq, conn.Query("SELECT nextval('experiment_id_seq')"));
    id = seq.GetInt64(0, 0);
    std::string location =
        artifact_location.empty() ? options_.artifact_root + "/" + std::to_string(id) : artifact_location;
    RETURN_IF_ERROR(conn.Exec("INSERT INTO experiments VALUES (?, ?, ?, 'active', ?, ?)", id, name, location,
                              store::Timestamp{now}, store::Timestamp{now}));
    for (const KeyValue& t : tags) {
      RETURN_IF_ERROR(conn.Exec("INSERT INTO experiment_tags VALUES (?, ?, ?)", id, t.key, t.value));
    }
    return Status::Ok();
  }));
  return std::to_string(id);
}

Result<Experiment> TrackingService::GetExperiment(const std::string& experiment_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  return LoadExperiment(*conn, id);
}

Result<Experiment> TrackingService::GetExperimentByName(const std::string& name) {
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto id, FindExperimentByName(*conn, name));
  if (!id) return NotFound("Could not find experiment with name '" + name + "'");
  return LoadExperiment(*conn, *id);
}

Result<SearchExperimentsResponse> TrackingService::SearchExperiments(
    const SearchExperimentsRequest& request) {
  RETURN_IF_ERROR(ValidateSearchExperimentsMaxResults(request.max_results));
  ASSIGN_OR_RETURN(SqlFragment where, CompileExperimentFilter(request.filter));
  ASSIGN_OR_RETURN(SqlFragment order, CompileExperimentOrderBy(request.order_by));
  ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(request.page_token));
  where.sql = "(" + where.sql + ") AND " + LifecycleFilter(request.view, "e");
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto found, LoadExperiments(*conn, where, order, request.max_results + 1, offset));
  SearchExperimentsResponse response;
  if (static_cast<int64_t>(found.size()) > request.max_results) {
    found.pop_back();
    response.next_page_token = EncodePageToken(offset + request.max_results);
  }
  response.experiments = std::move(found);
  return response;
}

Status TrackingService::RenameExperiment(const std::string& experiment_id, const std::string& new_name) {
  ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  RETURN_IF_ERROR(ValidateExperimentName(new_name));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    ASSIGN_OR_RETURN(Experiment e, LoadExperiment(ctx.conn(), id));
    if (e.lifecycle_stage != "active") return InvalidArgument("Cannot rename a non-active experiment.");
    ASSIGN_OR_RETURN(auto existing, FindExperimentByName(ctx.conn(), new_name));
    if (existing && *existing != id)
      return AlreadyExists("Experiment(name=" + new_name + ") already exists.");
    return ctx.conn().Exec("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                           new_name, store::Timestamp{now}, id);
  });
}

// Deleting or restoring an experiment moves its runs with it, as MLflow's SQL store does. Only an
// active experiment can be deleted and only a deleted one restored (else NotFound, as MLflow's
// _get_experiment with a view type): restoring an active experiment must not revive runs that
// were deleted one by one.
static Status SetExperimentStage(WriteContext& ctx, int64_t id, const std::string& stage, Micros now) {
  ASSIGN_OR_RETURN(Experiment e, LoadExperiment(ctx.conn(), id));
  const std::string from = stage == "deleted" ? "active" : "deleted";
  if (e.lifecycle_stage != from) {
    return NotFound("No " + from + " experiment with id=" + std::to_string(id) + " exists");
  }
  RETURN_IF_ERROR(
      ctx.conn().Exec("UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? "
                      "WHERE experiment_id = ?",
                      stage, store::Timestamp{now}, id));
  RETURN_IF_ERROR(
      ctx.conn().Exec("UPDATE runs SET lifecycle_stage = ?, deleted_time = CASE WHEN ? = 'deleted' "
                      "THEN ?::TIMESTAMP ELSE NULL END WHERE experiment_id = ?",
                      stage, stage, store::Timestamp{now}, id));
  ctx.ForgetRunsOfExperiment(id);
  return Status::Ok();
}

Status TrackingService::DeleteExperiment(const std::string& experiment_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  if (id == 0)
    return InvalidArgument(
        "Cannot delete the default experiment '0'. This is an internally reserved experiment.");
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) { return SetExperimentStage(ctx, id, "deleted", now); });
}

Status TrackingService::RestoreExperiment(const std::string& experiment_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) { return SetExperimentStage(ctx, id, "active", now); });
}

Status TrackingService::SetExperimentTag(const std::string& experiment_id, const std::string& key,
                                         const std::string& value) {
  ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(experiment_id));
  RETURN_IF_ERROR(ValidateExperimentTag(key, value));
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    ASSIGN_OR_RETURN(Experiment e, LoadExperiment(ctx.conn(), id));
    if (e.lifecycle_stage != "active") {
      return InvalidArgument("The experiment " + experiment_id +
                             " must be in the 'active' state. Current state is " + e.lifecycle_stage + ".");
    }
    RETURN_IF_ERROR(
        ctx.conn().Exec("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key));
    return ctx.conn().Exec("INSERT INTO experiment_tags VALUES (?, ?, ?)", id, key, value);
  });
}

Result<Run> TrackingService::GetRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto runs, LoadRuns(*conn, {run_id}));
  if (runs.empty()) return NotFound("Run with id=" + run_id + " not found");
  return std::move(runs.front());
}

Result<SearchRunsResponse> TrackingService::SearchRuns(const SearchRunsRequest& request) {
  RETURN_IF_ERROR(ValidateSearchRunsMaxResults(request.max_results));
  ASSIGN_OR_RETURN(SqlFragment where, CompileRunFilter(request.filter));
  ASSIGN_OR_RETURN(SqlFragment order, CompileRunOrderBy(request.order_by));
  ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(request.page_token));
  SearchRunsResponse response;
  if (request.experiment_ids.empty()) return response;
  std::vector<SqlValue> ids;
  for (const std::string& e : request.experiment_ids) {
    ASSIGN_OR_RETURN(int64_t id, ParseExperimentId(e));
    ids.emplace_back(id);
  }
  SqlFragment scoped;
  scoped.sql = "r.experiment_id IN (" + Placeholders(ids.size()) + ") AND " +
               LifecycleFilter(request.view, "r") + " AND (" + where.sql + ")";
  scoped.params = ids;
  scoped.params.insert(scoped.params.end(), where.params.begin(), where.params.end());
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto run_ids, SearchRunIds(*conn, scoped, order, request.max_results + 1, offset));
  if (static_cast<int64_t>(run_ids.size()) > request.max_results) {
    run_ids.pop_back();
    response.next_page_token = EncodePageToken(offset + request.max_results);
  }
  ASSIGN_OR_RETURN(response.runs, LoadRuns(*conn, run_ids));
  return response;
}

Result<std::vector<RunAttempt>> TrackingService::GetAttempts(const std::string& run_id) {
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  return LoadAttempts(*conn, run_id);
}

Result<MetricHistoryResponse> TrackingService::GetMetricHistory(const MetricHistoryRequest& request) {
  RETURN_IF_ERROR(ValidateRunId(request.run_id));
  if (request.max_results < 0) return InvalidArgument("max_results must not be negative");
  ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(request.page_token));
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(RunInfo info, LoadRunInfo(*conn, request.run_id));
  (void)info;
  // Identical points (a retried request) are one point, as MLflow's primary key makes them.
  ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare("SELECT DISTINCT value, timestamp_ms, step FROM metric_points WHERE series_id = "
                    "(SELECT series_id FROM metric_series WHERE run_id = ? AND key = ?) "
                    "ORDER BY step, timestamp_ms, value LIMIT ? OFFSET ?"));
  RETURN_IF_ERROR(stmt.BindString(1, request.run_id));
  RETURN_IF_ERROR(stmt.BindString(2, request.metric_key));
  const int64_t limit = request.max_results > 0 ? request.max_results + 1 : INT64_MAX;
  RETURN_IF_ERROR(stmt.BindInt64(3, limit));
  RETURN_IF_ERROR(stmt.BindInt64(4, offset));
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  MetricHistoryResponse response;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    response.metrics.push_back(
        {request.metric_key, rows.GetDouble(0, r), rows.GetInt64(1, r), rows.GetInt64(2, r)});
  }
  if (request.max_results > 0 && static_cast<int64_t>(response.metrics.size()) > request.max_results) {
    response.metrics.pop_back();
    response.next_page_token = EncodePageToken(offset + request.max_results);
  }
  return response;
}

}  // namespace mlcost::tracking
