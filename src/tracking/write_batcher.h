// WriteBatcher: the single writer of the tracking tables. Requests from many threads are queued,
// and the writer thread runs whatever is queued in ONE transaction (group commit), appends all
// their metric points through one DuckDB appender, then commits and wakes the callers. A caller
// is acknowledged only after that commit returned, so an acknowledged write survives kill -9
// (DuckDB syncs its WAL on commit).
//
// Atomicity: if an op of a group fails, the group is rolled back, that op gets its error, and the
// other ops are re-run together without it (each alone if the commit itself failed), so one bad
// request never fails or half-writes another, nor turns group commit into one commit per op.
#ifndef MLCOST_TRACKING_WRITE_BATCHER_H_
#define MLCOST_TRACKING_WRITE_BATCHER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::tracking {

// What the writer knows about a run without asking the database. Only the writer thread touches it.
struct RunState {
  int64_t experiment_id = 0;
  std::string lifecycle_stage;  // "active" | "deleted"
};

struct PendingPoint {
  std::string run_id;
  Metric metric;
};

// Handed to each op; valid only during the op. Ops run on the writer thread, one at a time.
class WriteContext {
 public:
  store::Connection& conn() { return conn_; }
  // The run's state, loaded from the database on first use. NotFound if the run does not exist.
  Result<RunState*> Run(const std::string& run_id);
  // Records a run's new state after the op wrote it (create, delete, restore).
  void PutRun(const std::string& run_id, RunState state) { runs_[run_id] = std::move(state); }
  // Drops cached states of the experiment's runs after a bulk change to them.
  void ForgetRunsOfExperiment(int64_t experiment_id);
  // Queues metric points; they are appended and the latest values updated at group end.
  void AddPoints(const std::string& run_id, const std::vector<Metric>& metrics);

 private:
  friend class WriteBatcher;
  WriteContext(store::Connection& conn, std::unordered_map<std::string, RunState>& runs)
      : conn_(conn), runs_(runs) {}
  store::Connection& conn_;
  std::unordered_map<std::string, RunState>& runs_;
  std::vector<PendingPoint> points_;
};

class WriteBatcher {
 public:
  using Op = std::function<Status(WriteContext&)>;

  struct Options {
    // Most ops committed together; more wait for the next group.
    size_t max_group_ops = 4096;
  };

  // Connects to `db` (which must outlive the batcher) and starts the writer thread.
  static Result<std::unique_ptr<WriteBatcher>> Start(store::Database& db, Options options);
  static Result<std::unique_ptr<WriteBatcher>> Start(store::Database& db) { return Start(db, Options()); }

  // Stops accepting ops, finishes the queued ones and joins the writer thread.
  ~WriteBatcher();

  // Runs `op` in a transaction on the writer thread and returns its Status once committed.
  // An op must not keep references into WriteContext after returning. Thread-safe; blocks.
  Status Submit(Op op);

  // Number of commits so far (for tests and metrics).
  uint64_t commits() const;

 private:
  // Lives on the submitting thread's stack until `done` is released. Each has its own
  // semaphore so finishing a group wakes exactly its callers, without a shared lock convoy.
  struct Pending {
    explicit Pending(Op o) : op(std::move(o)) {}
    Op op;
    Status result;
    std::binary_semaphore done{0};
  };
  using Latest = std::unordered_map<std::string, Metric>;  // key -> latest point

  WriteBatcher(store::Connection conn, Options options);
  void Loop();
  void RunGroup(std::vector<Pending*>& group);
  // Runs ops of `group` in one transaction. OK only if all ops and the commit succeeded; else
  // rolled back, with `failed_op` set to the index of the op that returned the error (unset when
  // the flush or the commit failed).
  Status TryGroup(std::vector<Pending*>& group, std::optional<size_t>& failed_op);
  Status FlushPoints(const std::vector<PendingPoint>& points,
                     std::unordered_map<std::string, Latest>& changed);
  Result<Latest*> LoadLatest(const std::string& run_id);
  // The id of the (run, key) metric series, created on first use.
  Result<int64_t> SeriesId(const std::string& run_id, const std::string& key);

  store::Connection conn_;
  Options options_;
  // Writer-thread-only caches; cleared on rollback.
  std::unordered_map<std::string, RunState> runs_;
  std::unordered_map<std::string, Latest> latest_;
  std::unordered_map<std::string, int64_t> series_;  // run_id + '\0' + key -> series_id
  std::optional<store::Appender> appender_;  // metrics
  std::optional<store::PreparedStatement> upsert_latest_;
  std::optional<store::PreparedStatement> find_series_;
  std::optional<store::PreparedStatement> insert_series_;
  std::optional<store::PreparedStatement> begin_;
  std::optional<store::PreparedStatement> commit_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;  // GUARDED_BY(mu_): signals queue_ or stopping_
  std::deque<Pending*> queue_;        // GUARDED_BY(mu_)
  bool stopping_ = false;             // GUARDED_BY(mu_)
  uint64_t commits_ = 0;              // GUARDED_BY(mu_)
  std::thread thread_;
};

// MLflow's order for "latest": larger step wins, then larger timestamp, then larger value
// (SqlAlchemyStore's comparison). NaN compares smaller than any number.
bool IsNewerMetric(const Metric& candidate, const Metric& current);

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_WRITE_BATCHER_H_
