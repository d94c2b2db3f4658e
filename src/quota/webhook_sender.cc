#include "quota/webhook_sender.h"

#include <httplib.h>

namespace mlcost::quota {

Status HttpWebhookSender::Post(const std::string& url, const nlohmann::json& body) {
  // "https://host:port/path?q" -> scheme+host+port, path.
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return InvalidArgument("webhook URL '" + url + "' has no scheme");
  const size_t path_start = url.find('/', scheme_end + 3);
  const std::string base = path_start == std::string::npos ? url : url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(base);
  client.set_connection_timeout(timeout_seconds_, 0);
  client.set_read_timeout(timeout_seconds_, 0);
  client.set_write_timeout(timeout_seconds_, 0);
  httplib::Result res = client.Post(path, body.dump(), "application/json");
  if (!res) return Unavailable("webhook " + url + " unreachable: " + httplib::to_string(res.error()));
  if (res->status < 200 || res->status >= 300) {
    return Unavailable("webhook " + url + " answered HTTP " + std::to_string(res->status) + ": " +
                       res->body.substr(0, 200));
  }
  return Status::Ok();
}

}  // namespace mlcost::quota
