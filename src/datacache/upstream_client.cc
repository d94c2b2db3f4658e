#include "datacache/upstream_client.h"

#include "common/ascii.h"
#include "common/sha256.h"
#include "s3/s3_http.h"

namespace mlcost::datacache {

UpstreamClient::UpstreamClient(s3::S3Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      signer_({config_.access_key, config_.secret_key, config_.session_token}, config_.region, "s3") {
  // The Host header exactly as cpp-httplib writes it (default ports dropped), as S3Client does.
  host_header_ = s3::HostHeaderFor(config_.endpoint);
}

Result<UpstreamResponse> UpstreamClient::Send(const UpstreamRequest& r,
                                              const std::function<bool(const char*, size_t)>& sink) const {
  s3::SigV4Request sr;
  sr.method = r.method;
  sr.path = r.raw_path;
  sr.query = r.query;
  sr.headers.emplace_back("host", host_header_);
  std::string content_type;
  httplib::Headers headers;
  for (const auto& [k, v] : r.headers) {
    std::string name = AsciiLower(k);
    if (name == "content-type") {
      content_type = v;
      continue;
    }
    if (name.rfind("x-amz-", 0) == 0) sr.headers.emplace_back(name, v);
    headers.emplace(k, v);
  }
  sr.payload_sha256 = Sha256Hex(r.body);
  headers.emplace("Host", host_header_);
  for (auto& [k, v] : signer_.Sign(sr, s3::AmzDate(clock_.Now()))) headers.emplace(k, v);

  const std::string target = r.raw_path + s3::EncodeQuery(r.query);
  std::unique_ptr<httplib::Client> client = s3::MakeHttpClient(config_);

  httplib::Request req;
  req.method = r.method;
  req.path = target;
  req.headers = std::move(headers);
  req.body = r.body;
  if (!r.body.empty() || r.method == "PUT" || r.method == "POST") {
    req.set_header("Content-Type", content_type.empty() ? "application/octet-stream" : content_type);
  }
  UpstreamResponse out;
  bool cancelled = false;
  if (sink) {
    req.response_handler = [&](const httplib::Response& response) {
      out.status = response.status;
      return true;
    };
    req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      if (out.status / 100 == 2) {
        if (!sink(data, size)) {
          cancelled = true;
          return false;
        }
        return true;
      }
      out.body.append(data, size);
      return true;
    };
  }
  httplib::Result result = client->send(req);
  if (cancelled) return Internal("download from " + config_.endpoint + r.raw_path + " cancelled");
  if (!result) {
    return Unavailable("upstream " + config_.endpoint + " cannot be reached (" +
                       httplib::to_string(result.error()) + ")");
  }
  out.status = result->status;
  out.headers = result->headers;
  if (!sink || out.status / 100 != 2) {
    if (out.body.empty()) out.body = result->body;
  }
  return out;
}

}  // namespace mlcost::datacache
