// LoadStudy: an experiment as a pruning study, read in three queries whatever its size (the
// active runs in creation order; their pruning tags; every run's history of the judged metric),
// instead of one search plus one history request per run.
#ifndef MLCOST_EARLYSTOP_STUDY_LOADER_H_
#define MLCOST_EARLYSTOP_STUDY_LOADER_H_

#include <string>
#include <vector>

#include "mlcost/status.h"
#include "pruning/study.h"
#include "tracking/tracking_service.h"

namespace mlcost::earlystop {

struct LoadedStudy {
  pruning::Study study;
  std::vector<std::string> run_ids;  // run_ids[i] is trial i
};

// How LoadStudy and the PrunerIndex order a metric's points (the first value logged at a step
// wins): one constant, so the index reads exactly what the scan reads.
inline constexpr char kPointsOrder[] = " ORDER BY s.run_id, p.step, p.timestamp_ms, p.value";

// The study of experiment `experiment_id` judged on `metric`: trials = active runs ordered by
// start_time (then run id); states from status and the tag mlcost.pruned_reason (FINISHED ->
// complete, pruned -> pruned, RUNNING / SCHEDULED -> running, else fail); intermediate values =
// the metric's points by step (the first logged at a step wins); system attrs from the tags
// mlcost.pruner.attr.<name>. `study.name` and `study.direction` are left for the caller.
Result<LoadedStudy> LoadStudy(tracking::TrackingService& tracking, const std::string& experiment_id,
                              const std::string& metric);

}  // namespace mlcost::earlystop

#endif  // MLCOST_EARLYSTOP_STUDY_LOADER_H_
