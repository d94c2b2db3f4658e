#include "earlystop/study_loader.h"

#include <cstdlib>
#include <unordered_map>

#include "earlystop/pruner_service.h"
#include "tracking/read_pool.h"
#include "tracking/validation.h"

namespace mlcost::earlystop {

Result<LoadedStudy> LoadStudy(tracking::TrackingService& tracking, const std::string& experiment_id,
                              const std::string& metric) {
  ASSIGN_OR_RETURN(const int64_t experiment, tracking::ParseExperimentId(experiment_id));
  ASSIGN_OR_RETURN(auto conn, tracking.reads().Acquire());
  LoadedStudy out;
  std::unordered_map<std::string, size_t> index;

  ASSIGN_OR_RETURN(auto runs, conn->Run("SELECT run_id, status FROM runs WHERE experiment_id = ? AND "
                                        "lifecycle_stage = 'active' ORDER BY start_time, run_id",
                                        experiment));
  for (uint64_t r = 0; r < runs.RowCount(); ++r) {
    std::string run_id = runs.GetString(0, r);
    std::string status = runs.GetString(1, r);
    pruning::Trial trial;
    trial.state = status == "FINISHED"                         ? pruning::TrialState::kComplete
                  : status == "RUNNING" || status == "SCHEDULED" ? pruning::TrialState::kRunning
                                                                 : pruning::TrialState::kFail;
    index[run_id] = out.study.trials.size();
    out.run_ids.push_back(std::move(run_id));
    out.study.trials.push_back(std::move(trial));
  }

  ASSIGN_OR_RETURN(auto tags, conn->Run("SELECT t.run_id, t.key, t.value FROM tags t JOIN runs r ON r.run_id = "
                                        "t.run_id WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' "
                                        "AND starts_with(t.key, 'mlcost.prune')",
                                        experiment));
  const std::string prefix = kAttrTagPrefix;
  for (uint64_t r = 0; r < tags.RowCount(); ++r) {
    auto it = index.find(tags.GetString(0, r));
    if (it == index.end()) continue;
    pruning::Trial& trial = out.study.trials[it->second];
    std::string key = tags.GetString(1, r);
    std::string value = tags.GetString(2, r);
    if (key == kPrunedReasonTag) {
      if (!value.empty() && trial.state != pruning::TrialState::kComplete) trial.state = pruning::TrialState::kPruned;
    } else if (key.rfind(prefix, 0) == 0) {
      char* parsed_end = nullptr;
      double number = std::strtod(value.c_str(), &parsed_end);
      if (parsed_end != value.c_str()) trial.system_attrs[key.substr(prefix.size())] = number;
    }
  }

  // DISTINCT: identical points (a retried request) are one point, as in the metric history.
  ASSIGN_OR_RETURN(auto points,
                   conn->Run("SELECT DISTINCT s.run_id, p.step, p.timestamp_ms, p.value FROM metric_points p "
                             "JOIN metric_series s ON s.series_id = p.series_id JOIN runs r ON r.run_id = s.run_id "
                             "WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' AND s.key = ?" +
                                 std::string(kPointsOrder),
                             experiment, metric));
  for (uint64_t r = 0; r < points.RowCount(); ++r) {
    auto it = index.find(points.GetString(0, r));
    if (it == index.end()) continue;
    int64_t step = points.GetInt64(1, r);
    if (step < 0) continue;
    RETURN_IF_ERROR(out.study.trials[it->second].Report(step, points.GetDouble(3, r)));
  }
  return out;
}

}  // namespace mlcost::earlystop
