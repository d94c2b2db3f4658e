// UpstreamClient: forwards a request to the upstream S3 endpoint, re-signed with SigV4 under the
// data cache's own credentials. The path is sent as the client encoded it; the query is decoded
// and re-encoded canonically, so what is signed is exactly what is sent.
#ifndef MLCOST_DATACACHE_UPSTREAM_CLIENT_H_
#define MLCOST_DATACACHE_UPSTREAM_CLIENT_H_

#include <httplib.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"
#include "s3/s3_config.h"
#include "s3/sigv4_signer.h"

namespace mlcost::datacache {

struct UpstreamRequest {
  std::string method;  // GET HEAD PUT POST DELETE
  std::string raw_path = "/";  // percent-encoded, as the client sent it
  std::vector<std::pair<std::string, std::string>> query;  // decoded names and values
  // Forwarded as given; x-amz-* ones are signed. Never Authorization, Host, Content-Length.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct UpstreamResponse {
  int status = 0;
  httplib::Headers headers;
  std::string body;  // empty when a 2xx body went to the sink
};

// Thread-safe: each call uses its own connection.
class UpstreamClient {
 public:
  UpstreamClient(s3::S3Config config, const Clock& clock);

  // Sends `request`. With `sink`, the body of a 2xx answer is streamed to it (returning false
  // cancels: Internal "cancelled"); other bodies are kept in the response. Unavailable naming the
  // endpoint when it cannot be reached or the connection breaks.
  Result<UpstreamResponse> Send(const UpstreamRequest& request,
                                const std::function<bool(const char*, size_t)>& sink = nullptr) const;

  const std::string& endpoint() const { return config_.endpoint; }

 private:
  s3::S3Config config_;
  const Clock& clock_;
  s3::SigV4Signer signer_;
  std::string host_header_;
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_UPSTREAM_CLIENT_H_
