// WebhookSender: where quota alerts leave mlcost. The HTTP one posts JSON with short timeouts so
// that a slow or dead receiver costs an evaluation at most a few seconds, never the server.
#ifndef MLCOST_QUOTA_WEBHOOK_SENDER_H_
#define MLCOST_QUOTA_WEBHOOK_SENDER_H_

#include <nlohmann/json.hpp>
#include <string>

#include "mlcost/status.h"

namespace mlcost::quota {

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs `body` as application/json to `url`. Unavailable naming the URL when it cannot be
  // reached or answers other than 2xx. Thread-safe.
  virtual Status Post(const std::string& url, const nlohmann::json& body) = 0;
};

// Over cpp-httplib: connect and read timeouts of `timeout_seconds` (default 3).
class HttpWebhookSender final : public WebhookSender {
 public:
  explicit HttpWebhookSender(int timeout_seconds = 3) : timeout_seconds_(timeout_seconds) {}
  Status Post(const std::string& url, const nlohmann::json& body) override;

 private:
  int timeout_seconds_;
};

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_WEBHOOK_SENDER_H_
