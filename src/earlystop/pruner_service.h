// PrunerService: server-side early stopping. An experiment is an Optuna study: its pruner
// configuration (the metric, its direction and an Optuna-exact pruner, src/pruning) is stored as
// the experiment tag mlcost.pruner; its runs in creation order (start_time) are the trials; a
// run's history of the metric is the trial's intermediate values; FINISHED runs are complete
// trials, runs stopped by a pruner (tag mlcost.pruned_reason) pruned ones, other ended runs failed.
//
// With a PrunerIndex (pruner_index.h, owned by the server), median and percentile decisions read
// the index instead of the study: the judged run's history (its series id, then its points) and
// one aggregate query to check the complete set. Other pruners, and a service without an index, read the study:
// Decide(run) reads the study in three queries (study_loader.h: about 40 ms for 200 runs of 50
// steps on 2 busy cores, against 590 ms with one history request per run), judges a RUNNING run
// at its latest step, persists the pruner's bookkeeping
// (Optuna's trial system attrs, as run tags mlcost.pruner.attr.<name>) so later decisions see it,
// and records a decision to prune as tag mlcost.pruned_reason. Decisions equal Optuna's when a
// run is judged at every step it reports (the native metric endpoint does that); `mlcost run`'s
// poll judges the latest step only.
#ifndef MLCOST_EARLYSTOP_PRUNER_SERVICE_H_
#define MLCOST_EARLYSTOP_PRUNER_SERVICE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "earlystop/pruner_index.h"
#include "pruning/pruner_config.h"
#include "pruning/study.h"
#include "tracking/tracking_service.h"

namespace mlcost::earlystop {

inline constexpr char kPrunerTag[] = "mlcost.pruner";
inline constexpr char kPrunedReasonTag[] = "mlcost.pruned_reason";
// Set when the pruner said the run has used its whole budget (ASHA at max_t): it ends FINISHED.
inline constexpr char kFinishReasonTag[] = "mlcost.finish_reason";
inline constexpr char kAttrTagPrefix[] = "mlcost.pruner.attr.";

struct ExperimentPruner {
  std::string metric;
  pruning::Direction direction = pruning::Direction::kMinimize;
  pruning::PrunerConfig config;
};

// {"metric": "val_loss", "direction": "minimize", "type": "median", "params": {...},
// "wrapped": {...}} -> the pruner; InvalidArgument naming what is wrong (missing or empty metric,
// a direction other than minimize / maximize, or any pruner configuration error).
Result<ExperimentPruner> ParseExperimentPruner(const nlohmann::json& body);
// The pruner as JSON, every parameter spelled out.
nlohmann::json ExperimentPrunerToJson(const ExperimentPruner& pruner);

struct StopDecision {
  bool stop = false;
  bool finish = false;  // with stop: the run has used its whole budget (ASHA's max_t), not pruned;
                        // the job is ended and the run recorded FINISHED
  std::string reason;  // why (for either answer; "" when no pruner is set)
  std::string pruner;  // the pruner type, "" when none
};

class PrunerService {
 public:
  // `index` (optional, not owned, must outlive the service): the server's decision index.
  explicit PrunerService(tracking::TrackingService& tracking, PrunerIndex* index = nullptr)
      : tracking_(tracking), index_(index) {}

  // NotFound for an unknown experiment. Drops the experiment's index entry (rebuilt lazily).
  Status Set(const std::string& experiment_id, const ExperimentPruner& pruner);
  // nullopt when the experiment has no pruner; NotFound for an unknown experiment.
  Result<std::optional<ExperimentPruner>> Get(const std::string& experiment_id);
  Status Clear(const std::string& experiment_id);
  // The pruner of run `run_id`'s experiment, with the experiment's name (the study name), in one
  // query (no run or experiment read): nullopt when the experiment has none or there is no such
  // run. For the metric-logging path, which asks after every batch and needs a run's full record
  // only when a pruner judges what was logged.
  struct RunPruner {
    std::string experiment_name;
    ExperimentPruner pruner;
  };
  Result<std::optional<RunPruner>> PrunerOfRun(const std::string& run_id);

  // The decision for `run` now (see above), reading its experiment once. With `logged` (the
  // metrics just logged), a run none of whose metrics is the pruner's is not judged (stop false,
  // pruner ""). A run that is not RUNNING is never stopped; a run already pruned answers its
  // recorded reason again.
  Result<StopDecision> Decide(const Run& run, const std::vector<Metric>* logged = nullptr);
  // The same with the experiment's pruner already read (PrunerOfRun).
  Result<StopDecision> Decide(const Run& run, const RunPruner& pruner, const std::vector<Metric>* logged);

 private:
  tracking::TrackingService& tracking_;
  PrunerIndex* index_;
};

}  // namespace mlcost::earlystop

#endif  // MLCOST_EARLYSTOP_PRUNER_SERVICE_H_
