#include "agent/spool_sender.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace mlcost::agent {
namespace {

constexpr int64_t kFirstBackoffMs = 200;
constexpr int64_t kMaxBackoffMs = 5000;
constexpr size_t kBatch = 64;

}  // namespace

SpoolSender::SpoolSender(EventSpool& spool, DeliverFn deliver)
    : spool_(spool), deliver_(std::move(deliver)), thread_([this] { Loop(); }) {}

SpoolSender::~SpoolSender() { Stop(); }

void SpoolSender::Notify() {
  std::lock_guard<std::mutex> lock(mu_);
  notified_ = true;
  wake_.notify_one();
}

void SpoolSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    wake_.notify_all();
    drained_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool SpoolSender::Drain(int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  notified_ = true;
  wake_.notify_one();
  while (spool_.PendingCount() > 0 && !stop_) {
    if (drained_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  return spool_.PendingCount() == 0;
}

void SpoolSender::Loop() {
  int64_t backoff_ms = kFirstBackoffMs;
  std::string last_retry_message;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stop_ || notified_ || spool_.PendingCount() > 0; });
      if (stop_) return;
      notified_ = false;
    }
    bool retry = false;
    for (const SpoolEvent& event : spool_.Pending(kBatch)) {
      DeliveryResult result = deliver_(event);
      if (result.outcome == DeliveryOutcome::kRetry) {
        retry = true;
        if (!offline_ || result.message != last_retry_message) {
          std::fprintf(stderr, "mlcost run: server unavailable (%s); spooling to %s and retrying\n",
                       result.message.c_str(), spool_.dir().c_str());
        }
        last_retry_message = result.message;
        offline_ = true;
        break;
      }
      if (result.outcome == DeliveryOutcome::kRejected) {
        ++rejected_;
        std::fprintf(stderr, "mlcost run: warning: the server rejected %s %s (event %llu): %s; dropped\n",
                     event.method.c_str(), event.path.c_str(), static_cast<unsigned long long>(event.seq),
                     result.message.c_str());
      } else if (offline_) {
        offline_ = false;
        std::fprintf(stderr, "mlcost run: server reachable again; delivering spooled events\n");
      }
      Status marked = spool_.MarkDelivered(event.seq);
      if (!marked.ok()) {
        std::fprintf(stderr, "mlcost run: warning: %s\n", marked.message().c_str());
      }
      backoff_ms = kFirstBackoffMs;
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (spool_.PendingCount() == 0) drained_.notify_all();
    if (retry) {
      wake_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [this] { return stop_; });
      backoff_ms = std::min(backoff_ms * 2, kMaxBackoffMs);
    }
  }
}

}  // namespace mlcost::agent
