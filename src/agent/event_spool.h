// EventSpool: the agent's durable, ordered outbox to the mlcost server.
//
// Every write `mlcost run` makes to the server after the run is opened (sampled metrics, attempt
// starts and ends, tags, the final status) is appended here first and delivered from here, in
// order, by a SpoolSender. So a server that is down or restarting never slows or stops the job:
// events wait on disk and are delivered when it is back, or by a later `mlcost run flush`.
//
// On disk, in the spool directory:
//   events.jsonl  one event per line: {"seq":N,"method":"POST","path":"/api/...","body":{...}}
//   delivered     the highest seq delivered (or dropped), as decimal text; replaced atomically
// Delivery is at-least-once: a crash between delivering and recording it repeats that event.
// When everything is delivered events.jsonl is removed (the cursor stays and keeps counting), so
// a spool directory with an events.jsonl always has something left to send.
#ifndef MLCOST_AGENT_EVENT_SPOOL_H_
#define MLCOST_AGENT_EVENT_SPOOL_H_

#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::agent {

struct SpoolEvent {
  uint64_t seq = 0;
  std::string method;  // "POST", "PATCH"
  std::string path;    // "/api/2.0/mlflow/runs/log-batch"
  nlohmann::json body;
};

class EventSpool {
 public:
  // Opens (creating) the spool in `dir` and loads the events not yet delivered. One process at a
  // time owns a spool (an flock on `dir`/lock, held until destruction): Conflict when another
  // holds it (a `mlcost run` still running). A torn last line (a crash mid-append) is skipped
  // with a warning on stderr; Internal naming the file and line when an earlier line is not an
  // event; Internal with strerror when the directory or files cannot be created or read.
  static Result<std::unique_ptr<EventSpool>> Open(const std::string& dir);
  ~EventSpool();

  // Appends an event (written and flushed to the file before returning). Thread-safe.
  Status Append(const std::string& method, const std::string& path, nlohmann::json body);

  // Up to `max` undelivered events, oldest first (copies). Thread-safe.
  std::vector<SpoolEvent> Pending(size_t max) const;
  size_t PendingCount() const;

  // Records that every event up to and including `seq` was delivered (or dropped). When none is
  // left, removes the files so the next Append starts a fresh log. Thread-safe.
  Status MarkDelivered(uint64_t seq);

  const std::string& dir() const { return dir_; }

 private:
  explicit EventSpool(std::string dir) : dir_(std::move(dir)) {}
  Status OpenLogLocked();

  std::string dir_;
  mutable std::mutex mu_;
  std::deque<SpoolEvent> pending_;
  uint64_t next_seq_ = 1;
  std::FILE* log_ = nullptr;
  int lock_fd_ = -1;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_EVENT_SPOOL_H_
