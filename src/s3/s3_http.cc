#include "s3/s3_http.h"

#include "s3/sigv4_signer.h"

namespace mlcost::s3 {

std::string HostHeaderFor(const std::string& endpoint) {
  std::string rest = endpoint.substr(endpoint.find("://") + 3);
  bool https = endpoint.rfind("https://", 0) == 0;
  size_t colon = rest.rfind(':');
  bool has_port = colon != std::string::npos && rest.find(']', colon) == std::string::npos;
  if (has_port) {
    std::string port = rest.substr(colon + 1);
    if ((https && port == "443") || (!https && port == "80")) rest = rest.substr(0, colon);
  }
  return rest;
}

std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    out += out.empty() ? '?' : '&';
    out += UriEncode(k, true) + "=" + UriEncode(v, true);
  }
  return out;
}

std::unique_ptr<httplib::Client> MakeHttpClient(const S3Config& config) {
  auto client = std::make_unique<httplib::Client>(config.endpoint);
  client->set_url_encode(false);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!config.ca_bundle.empty()) client->set_ca_cert_path(config.ca_bundle);
#endif
  client->set_connection_timeout(10, 0);
  client->set_read_timeout(300, 0);
  client->set_write_timeout(300, 0);
  return client;
}

}  // namespace mlcost::s3
