#include "s3/s3_config.h"

#include <cstdlib>
#include <regex>

namespace mlcost::s3 {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

}  // namespace

Result<std::string> NormalizeEndpoint(const std::string& url) {
  static const std::regex kUrl(R"(https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?/?)");
  if (!std::regex_match(url, kUrl)) {
    return InvalidArgument("S3 endpoint '" + url + "' is not a URL of the form http(s)://HOST[:PORT]");
  }
  std::string out = url;
  if (out.back() == '/') out.pop_back();
  return out;
}

Result<S3Config> S3Config::FromEnvironment(const std::string& endpoint_override) {
  S3Config c;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (!Env(name).empty()) {
      c.region = Env(name);
      break;
    }
  }
  std::string endpoint = endpoint_override;
  if (endpoint.empty()) endpoint = Env("MLCOST_S3_ENDPOINT_URL");
  if (endpoint.empty()) endpoint = Env("AWS_ENDPOINT_URL");
  if (endpoint.empty()) endpoint = "https://s3." + c.region + ".amazonaws.com";
  ASSIGN_OR_RETURN(c.endpoint, NormalizeEndpoint(endpoint));
  c.access_key = Env("AWS_ACCESS_KEY_ID");
  c.secret_key = Env("AWS_SECRET_ACCESS_KEY");
  c.session_token = Env("AWS_SESSION_TOKEN");
  c.ca_bundle = Env("AWS_CA_BUNDLE");
  if (c.access_key.empty() || c.secret_key.empty()) {
    return InvalidArgument("S3 credentials missing: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  }
  std::string part = Env("MLCOST_S3_PART_SIZE");
  if (!part.empty()) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(part.c_str(), &end, 10);
    if (end == part.c_str() || *end != '\0' || v == 0 || part[0] == '-') {
      return InvalidArgument("MLCOST_S3_PART_SIZE='" + part + "' is not a positive number of bytes");
    }
    c.part_size = v;
  }
  return c;
}

}  // namespace mlcost::s3
