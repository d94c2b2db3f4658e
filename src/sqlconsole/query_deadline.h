// QueryDeadline: interrupts a DuckDB connection when a query outlives its time limit.
#ifndef MLCOST_SQLCONSOLE_QUERY_DEADLINE_H_
#define MLCOST_SQLCONSOLE_QUERY_DEADLINE_H_

#include <duckdb.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mlcost::sqlconsole {

// While alive, a watchdog thread waits `limit` of steady (real) time and then calls
// duckdb_interrupt on `conn`, which makes the running query fail with an INTERRUPT error.
// Destroying it first disarms the watchdog. `conn` must outlive it. A time limit is real time by
// nature, so this one does not use the injected Clock; tests use limits no query reaches or a
// query no limit lets finish. Not copyable; not thread-safe except fired().
class QueryDeadline {
 public:
  QueryDeadline(duckdb_connection conn, std::chrono::milliseconds limit);
  ~QueryDeadline();
  QueryDeadline(const QueryDeadline&) = delete;
  QueryDeadline& operator=(const QueryDeadline&) = delete;

  // True once the watchdog has interrupted the connection.
  bool fired() const { return fired_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // GUARDED_BY(mu_)
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_QUERY_DEADLINE_H_
