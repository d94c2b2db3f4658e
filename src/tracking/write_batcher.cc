#include "tracking/write_batcher.h"

#include <cmath>
#include <cstddef>
#include <utility>

namespace mlcost::tracking {

bool IsNewerMetric(const Metric& c, const Metric& cur) {
  if (c.step != cur.step) return c.step > cur.step;
  if (c.timestamp_ms != cur.timestamp_ms) return c.timestamp_ms > cur.timestamp_ms;
  if (std::isnan(c.value)) return false;
  if (std::isnan(cur.value)) return true;
  return c.value > cur.value;
}

Result<RunState*> WriteContext::Run(const std::string& run_id) {
  auto it = runs_.find(run_id);
  if (it != runs_.end()) return &it->second;
  ASSIGN_OR_RETURN(auto stmt, conn_.Prepare("SELECT experiment_id, lifecycle_stage FROM runs WHERE run_id = ?"));
  RETURN_IF_ERROR(stmt.BindString(1, run_id));
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  if (rows.RowCount() == 0) return NotFound("Run with id=" + run_id + " not found");
  RunState state{rows.GetInt64(0, 0), rows.GetString(1, 0)};
  return &(runs_[run_id] = std::move(state));
}

void WriteContext::ForgetRunsOfExperiment(int64_t experiment_id) {
  std::erase_if(runs_, [&](const auto& entry) { return entry.second.experiment_id == experiment_id; });
}

void WriteContext::AddPoints(const std::string& run_id, const std::vector<Metric>& metrics) {
  for (const Metric& m : metrics) points_.push_back(PendingPoint{run_id, m});
}

Result<std::unique_ptr<WriteBatcher>> WriteBatcher::Start(store::Database& db, Options options) {
  ASSIGN_OR_RETURN(store::Connection conn, db.Connect());
  // BEGIN and COMMIT run once per group: prepared once, they skip DuckDB's parser each time.
  ASSIGN_OR_RETURN(store::PreparedStatement begin, conn.Prepare("BEGIN TRANSACTION"));
  ASSIGN_OR_RETURN(store::PreparedStatement commit, conn.Prepare("COMMIT"));
  auto batcher = std::unique_ptr<WriteBatcher>(new WriteBatcher(std::move(conn), options));
  batcher->begin_.emplace(std::move(begin));
  batcher->commit_.emplace(std::move(commit));
  batcher->thread_ = std::thread([b = batcher.get()] { b->Loop(); });
  return batcher;
}

WriteBatcher::WriteBatcher(store::Connection conn, Options options)
    : conn_(std::move(conn)), options_(options) {}

WriteBatcher::~WriteBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  appender_.reset();
}

uint64_t WriteBatcher::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

Status WriteBatcher::Submit(Op op) {
  Pending pending(std::move(op));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Unavailable("the server is shutting down");
    queue_.push_back(&pending);
  }
  queue_cv_.notify_one();
  pending.done.acquire();
  return pending.result;
}

void WriteBatcher::Loop() {
  std::vector<Pending*> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && group.size() < options_.max_group_ops) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunGroup(group);
    // After release() the caller may return and destroy its Pending: touch none after it.
    for (Pending* p : group) p->done.release();
    group.clear();
  }
}

void WriteBatcher::RunGroup(std::vector<Pending*>& group) {
  // An op that fails gets its own error and leaves the group; the others are retried together.
  // Each failure costs one more transaction, so a client sending bad requests cannot break
  // group commit for everyone else. The retried ops see the state without the failed op's
  // writes, as if it had run (and failed) after them.
  // Op runs are capped at about twice the group size (many failures would make it quadratic).
  std::vector<Pending*> pending = group;
  size_t op_runs = 0;
  while (!pending.empty() && op_runs <= 2 * group.size()) {
    std::optional<size_t> failed_op;
    Status status = TryGroup(pending, failed_op);
    if (status.ok()) {
      for (Pending* p : pending) p->result = Status::Ok();
      return;
    }
    if (!failed_op) break;  // the flush or the commit failed: no op to blame
    op_runs += *failed_op + 1;
    pending[*failed_op]->result = status;
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(*failed_op));
  }
  // Retry each remaining op alone so only a faulty one fails.
  for (Pending* p : pending) {
    std::vector<Pending*> one{p};
    std::optional<size_t> failed_op;
    p->result = TryGroup(one, failed_op);
  }
}

Status WriteBatcher::TryGroup(std::vector<Pending*>& group, std::optional<size_t>& failed_op) {
  failed_op.reset();
  Status status = begin_->Execute().status();
  std::unordered_map<std::string, Latest> changed;
  if (status.ok()) {
    WriteContext ctx(conn_, runs_);
    for (size_t i = 0; i < group.size(); ++i) {
      status = group[i]->op(ctx);
      if (!status.ok()) {
        failed_op = i;
        break;
      }
    }
    if (status.ok() && !ctx.points_.empty()) status = FlushPoints(ctx.points_, changed);
  }
  if (status.ok()) status = commit_->Execute().status();
  if (!status.ok()) {
    // Destroying the appender flushes rows it still buffers: do it before the rollback, so
    // they land in the transaction being discarded instead of committing on their own.
    appender_.reset();
    conn_.Rollback();
    runs_.clear();
    latest_.clear();
    series_.clear();
    return status;
  }
  for (auto& [run_id, keys] : changed) {
    Latest& cached = latest_[run_id];
    for (auto& [key, m] : keys) cached[key] = m;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++commits_;
  return Status::Ok();
}

Result<int64_t> WriteBatcher::SeriesId(const std::string& run_id, const std::string& key) {
  std::string cache_key = run_id + '\0' + key;
  auto it = series_.find(cache_key);
  if (it != series_.end()) return it->second;
  if (!find_series_) {
    ASSIGN_OR_RETURN(store::PreparedStatement find,
                     conn_.Prepare("SELECT series_id FROM metric_series WHERE run_id = ? AND key = ?"));
    ASSIGN_OR_RETURN(store::PreparedStatement insert,
                     conn_.Prepare("INSERT INTO metric_series SELECT nextval('metric_series_seq'), ?, ? "
                                   "RETURNING series_id"));
    find_series_.emplace(std::move(find));
    insert_series_.emplace(std::move(insert));
  }
  RETURN_IF_ERROR(find_series_->BindString(1, run_id));
  RETURN_IF_ERROR(find_series_->BindString(2, key));
  ASSIGN_OR_RETURN(auto found, find_series_->Execute());
  int64_t id;
  if (found.RowCount() > 0) {
    id = found.GetInt64(0, 0);
  } else {
    RETURN_IF_ERROR(insert_series_->BindString(1, run_id));
    RETURN_IF_ERROR(insert_series_->BindString(2, key));
    ASSIGN_OR_RETURN(auto inserted, insert_series_->Execute());
    id = inserted.GetInt64(0, 0);
  }
  series_[cache_key] = id;
  return id;
}

Result<WriteBatcher::Latest*> WriteBatcher::LoadLatest(const std::string& run_id) {
  auto it = latest_.find(run_id);
  if (it != latest_.end()) return &it->second;
  ASSIGN_OR_RETURN(auto stmt,
                   conn_.Prepare("SELECT key, value, timestamp_ms, step FROM latest_metrics WHERE run_id = ?"));
  RETURN_IF_ERROR(stmt.BindString(1, run_id));
  ASSIGN_OR_RETURN(auto rows, stmt.Execute());
  Latest loaded;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    Metric m{rows.GetString(0, r), rows.GetDouble(1, r), rows.GetInt64(2, r), rows.GetInt64(3, r)};
    loaded[m.key] = m;
  }
  return &(latest_[run_id] = std::move(loaded));
}

Status WriteBatcher::FlushPoints(const std::vector<PendingPoint>& points,
                                 std::unordered_map<std::string, Latest>& changed) {
  if (!appender_) {
    ASSIGN_OR_RETURN(store::Appender a, conn_.MakeAppender("metric_points"));
    appender_.emplace(std::move(a));
  }
  const PendingPoint* last = nullptr;  // points come in runs of one series: look it up once
  int64_t series_id = 0;
  for (const PendingPoint& p : points) {
    if (last == nullptr || last->run_id != p.run_id || last->metric.key != p.metric.key) {
      ASSIGN_OR_RETURN(series_id, SeriesId(p.run_id, p.metric.key));
      last = &p;
    }
    appender_->AppendInt64(series_id);
    appender_->AppendDouble(p.metric.value);
    appender_->AppendInt64(p.metric.timestamp_ms);
    appender_->AppendInt64(p.metric.step);
    RETURN_IF_ERROR(appender_->EndRow());
    ASSIGN_OR_RETURN(Latest * current, LoadLatest(p.run_id));
    Latest& pending = changed[p.run_id];
    auto pit = pending.find(p.metric.key);
    const Metric* best = pit != pending.end() ? &pit->second : nullptr;
    if (best == nullptr) {
      auto cit = current->find(p.metric.key);
      if (cit != current->end()) best = &cit->second;
    }
    if (best == nullptr || IsNewerMetric(p.metric, *best)) pending[p.metric.key] = p.metric;
  }
  RETURN_IF_ERROR(appender_->Flush());

  // The changed latest values go into latest_metrics as one upsert on its primary key, their
  // columns bound as lists: one prepared statement per group, whatever the group's size.
  std::vector<std::string_view> runs, keys;
  std::vector<double> values;
  std::vector<int64_t> timestamps, steps;
  for (const auto& [run_id, latest] : changed) {
    for (const auto& [key, m] : latest) {
      runs.push_back(run_id);
      keys.push_back(key);
      values.push_back(m.value);
      timestamps.push_back(m.timestamp_ms);
      steps.push_back(m.step);
    }
  }
  if (runs.empty()) return Status::Ok();
  if (!upsert_latest_) {
    ASSIGN_OR_RETURN(store::PreparedStatement upsert,
                     conn_.Prepare("INSERT INTO latest_metrics SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), "
                                   "unnest($3::DOUBLE[]), unnest($4::BIGINT[]), unnest($5::BIGINT[]) "
                                   "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, "
                                   "timestamp_ms = excluded.timestamp_ms, step = excluded.step"));
    upsert_latest_.emplace(std::move(upsert));
  }
  RETURN_IF_ERROR(upsert_latest_->BindStringList(1, runs));
  RETURN_IF_ERROR(upsert_latest_->BindStringList(2, keys));
  RETURN_IF_ERROR(upsert_latest_->BindDoubleList(3, values));
  RETURN_IF_ERROR(upsert_latest_->BindInt64List(4, timestamps));
  RETURN_IF_ERROR(upsert_latest_->BindInt64List(5, steps));
  return upsert_latest_->Execute().status();
}

}  // namespace mlcost::tracking
