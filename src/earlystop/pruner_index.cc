#include "earlystop/pruner_index.h"

#include "earlystop/study_loader.h"

#include <vector>

#include "pruning/percentile_pruner.h"
#include "tracking/read_pool.h"
#include "tracking/validation.h"

namespace mlcost::earlystop {
namespace {

// Adds row `row` of `points` (its step and value in columns `step` and `value`) to `history`: a
// negative step is not a step (as LoadStudy), and the first value at a step wins.
void AddPoint(store::QueryResult& points, uint64_t row, int step, int value, std::map<int64_t, double>& history) {
  const int64_t at = points.GetInt64(step, row);
  if (at >= 0) history.emplace(at, points.GetDouble(value, row));
}

// One run's history of `metric`, as LoadStudy reads it (DISTINCT, first logged at a step wins),
// filtered on the series id so DuckDB skips the other runs' points by their zone maps.
Result<std::map<int64_t, double>> LoadHistory(store::Connection& conn, const std::string& run_id,
                                              const std::string& metric) {
  std::map<int64_t, double> history;
  ASSIGN_OR_RETURN(auto series, conn.Run("SELECT series_id FROM metric_series WHERE run_id = ? AND key = ?", run_id, metric));
  if (series.RowCount() == 0) return history;
  ASSIGN_OR_RETURN(auto points, conn.Run("SELECT DISTINCT step, timestamp_ms, value FROM metric_points WHERE series_id = ? "
                                         "ORDER BY step, timestamp_ms, value",
                                         series.GetInt64(0, 0)));
  for (uint64_t r = 0; r < points.RowCount(); ++r) AddPoint(points, r, 0, 2, history);
  return history;
}

}  // namespace

bool IndexedPrunerType(pruning::PrunerType type) {
  return type == pruning::PrunerType::kMedian || type == pruning::PrunerType::kPercentile;
}

std::shared_ptr<PrunerIndex::Entry> PrunerIndex::EntryFor(const std::string& experiment_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<Entry>& entry = entries_[experiment_id];
  if (!entry) entry = std::make_shared<Entry>();
  return entry;
}

void PrunerIndex::Forget(const std::string& experiment_id) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(experiment_id);
}

PrunerIndex::Stats PrunerIndex::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

Status PrunerIndex::Refresh(tracking::TrackingService& tracking, int64_t experiment, const std::string& metric,
                            Entry& entry) {
  ASSIGN_OR_RETURN(auto conn, tracking.reads().Acquire());
  ASSIGN_OR_RETURN(auto print, conn->Run("SELECT count(*), coalesce(bit_xor(hash(run_id) >> 1)::BIGINT, 0) FROM runs "
                                         "WHERE experiment_id = ? AND lifecycle_stage = 'active' AND status = 'FINISHED'",
                                         experiment));
  const int64_t count = print.GetInt64(0, 0);
  const int64_t hash = print.GetInt64(1, 0);
  if (entry.built && entry.metric == metric && entry.fingerprint_count == count && entry.fingerprint_hash == hash) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto finished, conn->Run("SELECT run_id FROM runs WHERE experiment_id = ? AND lifecycle_stage = "
                                            "'active' AND status = 'FINISHED'",
                                            experiment));
  std::set<std::string> now;
  for (uint64_t r = 0; r < finished.RowCount(); ++r) now.insert(finished.GetString(0, r));
  bool only_added = entry.built && entry.metric == metric;
  for (auto it = entry.run_ids.begin(); only_added && it != entry.run_ids.end(); ++it) {
    only_added = now.count(*it) != 0;
  }
  if (only_added) {
    int64_t added = 0;
    for (const std::string& run_id : now) {
      if (entry.run_ids.count(run_id) != 0) continue;
      ASSIGN_OR_RETURN(auto history, LoadHistory(*conn, run_id, metric));
      entry.values.AddCompleteTrial(history);
      entry.run_ids.insert(run_id);
      ++added;
    }
    std::lock_guard<std::mutex> lock(mu_);
    stats_.incremental += added;
  } else {
    std::map<std::string, std::map<int64_t, double>> histories;
    ASSIGN_OR_RETURN(auto points,
                     conn->Run(std::string("SELECT DISTINCT s.run_id, p.step, p.value, p.timestamp_ms FROM metric_points p "
                                           "JOIN metric_series s ON s.series_id = p.series_id JOIN runs r ON r.run_id = "
                                           "s.run_id WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' AND "
                                           "r.status = 'FINISHED' AND s.key = ?") + kPointsOrder,
                               experiment, metric));
    for (uint64_t r = 0; r < points.RowCount(); ++r) AddPoint(points, r, 1, 2, histories[points.GetString(0, r)]);
    std::vector<const std::map<int64_t, double>*> trials;
    const std::map<int64_t, double> none;
    for (const std::string& run_id : now) {
      auto it = histories.find(run_id);
      trials.push_back(it == histories.end() ? &none : &it->second);
    }
    entry.values = pruning::StepValuesIndex::Build(trials);
    entry.run_ids = std::move(now);
    entry.metric = metric;
    entry.built = true;
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.builds;
  }
  entry.fingerprint_count = count;
  entry.fingerprint_hash = hash;
  return Status::Ok();
}

Status PrunerIndex::Warm(tracking::TrackingService& tracking, const std::string& experiment_id,
                         const std::string& metric) {
  ASSIGN_OR_RETURN(int64_t experiment, tracking::ParseExperimentId(experiment_id));
  std::shared_ptr<Entry> entry = EntryFor(experiment_id);
  std::lock_guard<std::mutex> lock(entry->mu);
  return Refresh(tracking, experiment, metric, *entry);
}

Result<pruning::Decision> PrunerIndex::Decide(tracking::TrackingService& tracking, const Run& run,
                                              const std::string& metric, pruning::Direction direction,
                                              const pruning::PrunerConfig& config) {
  if (!IndexedPrunerType(config.type)) {
    return InvalidArgument(std::string("the decision index serves median and percentile pruners, not ") +
                           pruning::PrunerTypeName(config.type));
  }
  ASSIGN_OR_RETURN(int64_t experiment, tracking::ParseExperimentId(run.info.experiment_id));
  if (run.info.lifecycle_stage != "active") {
    return Internal("run " + run.info.run_id + " is missing from its experiment's runs");
  }
  pruning::Trial trial;
  {
    ASSIGN_OR_RETURN(auto conn, tracking.reads().Acquire());
    ASSIGN_OR_RETURN(trial.intermediate_values, LoadHistory(*conn, run.info.run_id, metric));
  }
  std::shared_ptr<Entry> entry = EntryFor(run.info.experiment_id);
  std::lock_guard<std::mutex> lock(entry->mu);
  RETURN_IF_ERROR(Refresh(tracking, experiment, metric, *entry));
  return pruning::PercentilePruneIndexed(entry->values, direction, trial, config);
}

}  // namespace mlcost::earlystop
