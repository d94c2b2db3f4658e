// PruneWatcher: asks the server, on a thread of its own, whether a run should stop
// (GET /api/v1/runs/{id}/should-stop -> {"stop": bool, "finish": bool, "reason": "...", "pruner": "..."}); the
// supervisor reads Decision() in its wait loop and stops the job when the server says so.
// A server without the endpoint (404) ends the polling quietly; an unreachable one is asked again
// at the next interval (the job is never stopped for the server's absence).
#ifndef MLCOST_CLI_PRUNE_WATCHER_H_
#define MLCOST_CLI_PRUNE_WATCHER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mlcost::cli {

struct StopDecision {
  std::string reason;  // the server's reason, e.g. "median pruner: 0.81 at step 12 is worse than ..."
  std::string pruner;  // the pruner type that decided, "" when not a pruner (budget, ...)
  bool finish = false; // the run has used its whole budget (ASHA's max_t): ended, recorded FINISHED
};

class PruneWatcher {
 public:
  // Starts polling `server_url` every `interval_ms` (<= 0: never polls).
  PruneWatcher(std::string server_url, std::string run_id, int64_t interval_ms);
  ~PruneWatcher();
  PruneWatcher(const PruneWatcher&) = delete;
  PruneWatcher& operator=(const PruneWatcher&) = delete;

  // The decision to stop, once the server made one. Thread-safe.
  std::optional<StopDecision> Decision() const;
  // Stops polling without waiting for a request in flight.
  void Stop();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_PRUNE_WATCHER_H_
