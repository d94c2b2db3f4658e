// PrunerIndex: the server's in-memory per-experiment index for the median / percentile pruners
// (pruning/step_values_index.h), so a decision does not load the whole study from DuckDB.
//
// One entry per experiment: the judged metric, the FINISHED active runs it holds (the complete
// trials) and their values per step, sorted. Before each decision one aggregate query over the
// experiment's runs (count and an xor of hashed run ids of its FINISHED active runs) tells whether
// the complete set changed, by whatever path (MLflow or native API, deletion, restore): when runs
// were only added their histories are loaded and inserted; when one left the set, or the pruner's
// metric changed, the entry is rebuilt. An entry is built on the first decision, or before it by
// Warm() (a server warms an experiment when its pruner is set and, after a restart, every one with
// a running run). The judged run's own history is read fresh (its series id, then its points) each time.
//
// Assumes, as Optuna does, that a complete trial's history is frozen: points logged to a run
// after it ended FINISHED are not seen until the entry is rebuilt (Forget(), a metric change,
// a restart). docs/pruning.md, "The decision index".
#ifndef MLCOST_EARLYSTOP_PRUNER_INDEX_H_
#define MLCOST_EARLYSTOP_PRUNER_INDEX_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "mlcost/status.h"
#include "pruning/decision.h"
#include "pruning/pruner_config.h"
#include "pruning/step_values_index.h"
#include "pruning/study.h"
#include "tracking/tracking_service.h"

namespace mlcost::earlystop {

// True for the pruner types PrunerIndex decides (median, percentile).
bool IndexedPrunerType(pruning::PrunerType type);

class PrunerIndex {
 public:
  struct Stats {
    int64_t builds = 0;       // full (re)builds of an entry
    int64_t incremental = 0;  // complete runs inserted into an existing entry
  };

  // The decision of `config` (median or percentile; InvalidArgument otherwise) for RUNNING run
  // `run` judged on `metric` in `direction`, equal to pruning::Prune() on the study LoadStudy()
  // reads. Errors are the store's. Thread-safe; decisions (and Warm) for one experiment are serialised.
  Result<pruning::Decision> Decide(tracking::TrackingService& tracking, const Run& run, const std::string& metric,
                                   pruning::Direction direction, const pruning::PrunerConfig& config);

  // Brings the experiment's entry for `metric` up to date now, as the next decision would (a
  // build, or the inserts of runs finished since): the server warms the index in the background
  // (server/pruner_index_warmer.h) so that no request waits for a build. Errors are the store's.
  Status Warm(tracking::TrackingService& tracking, const std::string& experiment_id, const std::string& metric);

  // Drops the experiment's entry: the next decision rebuilds it from the store.
  void Forget(const std::string& experiment_id);

  Stats stats() const;

 private:
  struct Entry {
    std::mutex mu;
    bool built = false;
    std::string metric;
    int64_t fingerprint_count = -1;
    int64_t fingerprint_hash = 0;
    std::set<std::string> run_ids;  // the complete runs in `values`
    pruning::StepValuesIndex values;
  };

  std::shared_ptr<Entry> EntryFor(const std::string& experiment_id);
  Status Refresh(tracking::TrackingService& tracking, int64_t experiment, const std::string& metric, Entry& entry);

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // GUARDED_BY(mu_)
  Stats stats_;                                            // GUARDED_BY(mu_)
};

}  // namespace mlcost::earlystop

#endif  // MLCOST_EARLYSTOP_PRUNER_INDEX_H_
