// SpoolSender: a thread that delivers an EventSpool's events to the server, oldest first.
//
// `deliver` is called for one event at a time and says what happened: delivered, retry later
// (the server is unreachable, restarting or answered 5xx — the same event is tried again after a
// backoff of 0.2 s doubling to 5 s, and nothing after it overtakes it), or rejected (a 4xx: the
// event can never succeed; it is dropped with a warning naming it, so one bad event cannot block
// the rest).
#ifndef MLCOST_AGENT_SPOOL_SENDER_H_
#define MLCOST_AGENT_SPOOL_SENDER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "agent/event_spool.h"

namespace mlcost::agent {

enum class DeliveryOutcome { kDelivered, kRetry, kRejected };

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string message;  // why, for kRetry / kRejected
};

class SpoolSender {
 public:
  using DeliverFn = std::function<DeliveryResult(const SpoolEvent&)>;

  // Starts the thread. `spool` must outlive the sender.
  SpoolSender(EventSpool& spool, DeliverFn deliver);
  // Stops without waiting for pending events (they stay in the spool).
  ~SpoolSender();
  SpoolSender(const SpoolSender&) = delete;
  SpoolSender& operator=(const SpoolSender&) = delete;

  // Wakes the thread after an Append (cheap; call after every append).
  void Notify();
  // Waits until the spool is empty or `timeout_ms` passed; true when empty.
  bool Drain(int64_t timeout_ms);
  // Stops the thread; pending events stay in the spool.
  void Stop();

  // Events rejected (dropped) so far, and whether the last attempt found the server unreachable.
  int64_t rejected() const { return rejected_; }
  bool offline() const { return offline_; }

 private:
  void Loop();

  EventSpool& spool_;
  DeliverFn deliver_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  bool stop_ = false;
  bool notified_ = false;
  std::atomic<int64_t> rejected_{0};
  std::atomic<bool> offline_{false};
  std::thread thread_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_SPOOL_SENDER_H_
