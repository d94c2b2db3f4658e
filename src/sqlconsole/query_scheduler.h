// QueryScheduler: runs saved queries when they are due and on demand, and records each outcome
// (time, status, rows, error, file) in the store. Time comes from the injected Clock, so tests
// drive RunDue() with a FakeClock; the background thread only decides how often to look.
#ifndef MLCOST_SQLCONSOLE_QUERY_SCHEDULER_H_
#define MLCOST_SQLCONSOLE_QUERY_SCHEDULER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "mlcost/status.h"
#include "sqlconsole/query_exporter.h"
#include "sqlconsole/saved_query_store.h"

namespace mlcost::sqlconsole {

// Thread-safe. Runs are serialised: one export at a time.
class QueryScheduler {
 public:
  // All three must outlive the scheduler.
  QueryScheduler(SavedQueryStore& store, QueryExporter& exporter, const Clock& clock)
      : store_(store), exporter_(exporter), clock_(clock) {}
  // Stops the thread if started.
  ~QueryScheduler();

  // Runs `name` now and returns it with the outcome recorded; its schedule is unchanged. A
  // failing query is recorded (last_status "error") and returned, not an error; NotFound when
  // there is no such query.
  Result<SavedQuery> RunNow(const std::string& name);

  // Runs every query due at clock.Now() once, each due next at (run time + interval); returns how
  // many ran. A failing query is recorded, not returned; errors are the store's.
  Result<int> RunDue();

  // Starts a thread that calls RunDue() every `poll` of real time until Stop(). Idempotent.
  void Start(std::chrono::milliseconds poll = std::chrono::seconds(1));
  void Stop();

 private:
  Result<SavedQuery> RunLocked(const SavedQuery& query, std::optional<Micros> next_run_at);

  SavedQueryStore& store_;
  QueryExporter& exporter_;
  const Clock& clock_;
  std::mutex run_mu_;  // one run at a time

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_QUERY_SCHEDULER_H_
