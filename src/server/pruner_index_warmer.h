// PrunerIndexWarmer: the server's background thread that builds the decision index
// (earlystop/pruner_index.h) of an experiment before a request needs it — when its pruner is set
// (ApiContext::pruner_changed) and, at start, for every experiment whose pruner the index serves
// and that has a RUNNING run (a restarted server starts with an empty index). A build over
// 10,000 runs x 1,000 steps takes tens of seconds (docs/performance.md); without the warmer the
// first decision of the experiment would wait for it. A decision that arrives during a warm-up
// waits for that build (one build per experiment, never two). docs/pruning.md, "The decision index".
#ifndef MLCOST_SERVER_PRUNER_INDEX_WARMER_H_
#define MLCOST_SERVER_PRUNER_INDEX_WARMER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "api/api_context.h"

namespace mlcost::server {

class PrunerIndexWarmer {
 public:
  // `ctx` must outlive the warmer.
  explicit PrunerIndexWarmer(api::ApiContext& ctx);
  // Stops and joins the thread.
  ~PrunerIndexWarmer();

  // Starts the thread; it first queues the experiments with a served pruner and a RUNNING run.
  void Start();
  // Queues `experiment_id` (once: a queued experiment is not queued twice). Its pruner is read
  // when its turn comes; an experiment without one the index serves is skipped.
  void Enqueue(const std::string& experiment_id);
  // Idempotent; waits for the experiment being warmed, drops the rest of the queue.
  void Stop();

  // Experiments warmed so far, and those still queued or being warmed (for tests and logs).
  int64_t warmed() const;
  bool idle() const;

 private:
  void Loop();
  void WarmOne(const std::string& experiment_id);

  api::ApiContext& ctx_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;  // GUARDED_BY(mu_)
  bool busy_ = false;              // GUARDED_BY(mu_): an experiment is being warmed
  bool stopping_ = false;          // GUARDED_BY(mu_)
  int64_t warmed_ = 0;             // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace mlcost::server

#endif  // MLCOST_SERVER_PRUNER_INDEX_WARMER_H_
