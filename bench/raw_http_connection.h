// RawHttpConnection: the load generator's HTTP/1.1 keep-alive client for the timed requests —
// one pre-built request per write, the answer read by Content-Length. Like wrk, it keeps the
// client's own CPU small: on a 2-core machine the client shares the cores with the server it
// measures, and cpp-httplib's client spent about half a core at 18k requests/s. Correctness stays
// with the server's answers: status and body are returned for every request.
#ifndef MLCOST_BENCH_RAW_HTTP_CONNECTION_H_
#define MLCOST_BENCH_RAW_HTTP_CONNECTION_H_

#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::bench {

struct RawResponse {
  int status = 0;
  std::string body;
};

class RawHttpConnection {
 public:
  // `base_url` is "http://HOST:PORT" (a numeric IPv4 host). Connects lazily.
  explicit RawHttpConnection(const std::string& base_url);
  ~RawHttpConnection();
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  // Opens the connection now (else the first request does).
  Status Open() { return fd_ >= 0 ? Status::Ok() : Connect(); }
  // POSTs `body` as application/json. Reconnects once if the server closed the idle connection
  // before answering. Unavailable for transport failures, Internal for a malformed answer.
  Result<RawResponse> PostJson(std::string_view path, std::string_view body);

 private:
  Status Connect();
  void Close();
  Result<RawResponse> ReadResponse();

  std::string host_;
  int port_ = 0;
  int fd_ = -1;
  std::string request_;  // reused buffer
  std::string in_;       // bytes read, not yet consumed
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_RAW_HTTP_CONNECTION_H_
