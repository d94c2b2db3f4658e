// QuotaEvaluator: the server's background thread that evaluates quota alerts every interval
// (`mlcost serve --quota-interval`, docs/quotas.md). A failed webhook is audited and retried at
// the next evaluation; nothing it does blocks a request.
#ifndef MLCOST_SERVER_QUOTA_EVALUATOR_H_
#define MLCOST_SERVER_QUOTA_EVALUATOR_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "api/api_context.h"
#include "quota/webhook_sender.h"

namespace mlcost::server {

class QuotaEvaluator {
 public:
  // `ctx` must outlive the evaluator. interval_ms <= 0: Start() does nothing.
  QuotaEvaluator(api::ApiContext& ctx, int64_t interval_ms);
  // Stops and joins the thread.
  ~QuotaEvaluator();

  // Starts the thread: the first evaluation runs one interval after the start.
  void Start();
  // Idempotent; returns once the thread has finished its current evaluation.
  void Stop();

 private:
  void Loop();

  api::ApiContext& ctx_;
  const int64_t interval_ms_;
  quota::HttpWebhookSender sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace mlcost::server

#endif  // MLCOST_SERVER_QUOTA_EVALUATOR_H_
