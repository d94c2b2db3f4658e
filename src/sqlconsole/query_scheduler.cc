#include "sqlconsole/query_scheduler.h"

#include <cstdio>

namespace mlcost::sqlconsole {

QueryScheduler::~QueryScheduler() { Stop(); }

Result<SavedQuery> QueryScheduler::RunLocked(const SavedQuery& query, std::optional<Micros> next_run_at) {
  RunRecord record;
  record.run_at = clock_.Now();
  record.next_run_at = next_run_at;
  Result<ExportOutcome> outcome = exporter_.Export(query);
  if (outcome.ok()) {
    record.ok = true;
    record.row_count = outcome->rows;
    record.output = outcome->path;
  } else {
    record.error = outcome.status().message();
  }
  RETURN_IF_ERROR(store_.RecordRun(query.name, record));
  return store_.Get(query.name);
}

Result<SavedQuery> QueryScheduler::RunNow(const std::string& name) {
  std::lock_guard<std::mutex> lock(run_mu_);
  ASSIGN_OR_RETURN(SavedQuery query, store_.Get(name));
  return RunLocked(query, query.next_run_at);
}

Result<int> QueryScheduler::RunDue() {
  std::lock_guard<std::mutex> lock(run_mu_);
  const Micros now = clock_.Now();
  ASSIGN_OR_RETURN(std::vector<SavedQuery> due, store_.Due(now));
  int ran = 0;
  for (const SavedQuery& query : due) {
    const Micros next = clock_.Now() + *query.interval_seconds * kMicrosPerSecond;
    Result<SavedQuery> done = RunLocked(query, next);
    // Deleted while it ran: nothing to record.
    if (!done.ok() && done.status().code() != StatusCode::kNotFound) return done.status();
    ++ran;
  }
  return ran;
}

void QueryScheduler::Start(std::chrono::milliseconds poll) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, poll] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      Result<int> ran = RunDue();
      if (!ran.ok())
        std::fprintf(stderr, "mlcost: saved-query scheduler: %s\n", ran.status().ToString().c_str());
      lock.lock();
      cv_.wait_for(lock, poll, [this] { return stopping_; });
    }
  });
}

void QueryScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mlcost::sqlconsole
