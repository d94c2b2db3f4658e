#include "server/quota_evaluator.h"

#include <chrono>
#include <cstdio>

#include "api/v1_quota_engine.h"

namespace mlcost::server {

QuotaEvaluator::QuotaEvaluator(api::ApiContext& ctx, int64_t interval_ms) : ctx_(ctx), interval_ms_(interval_ms) {}

QuotaEvaluator::~QuotaEvaluator() { Stop(); }

void QuotaEvaluator::Start() {
  if (interval_ms_ <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void QuotaEvaluator::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QuotaEvaluator::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; })) {
    lock.unlock();
    api::v1::QuotaEngine engine(ctx_);
    Result<int> sent = engine.EvaluateAlerts(sender_);
    if (!sent.ok()) std::fprintf(stderr, "mlcost: quota evaluator: %s\n", sent.status().ToString().c_str());
    lock.lock();
  }
}

}  // namespace mlcost::server
