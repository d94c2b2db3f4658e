#include "datacache/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <ctime>

#include "common/ascii.h"
#include "datacache/object_path.h"

namespace mlcost::datacache {
namespace {

S3Error Denied(std::string code, std::string message, int status = 403) {
  return S3Error{status, std::move(code), std::move(message)};
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string HeaderValue(const IncomingRequest& r, const std::string& lower_name) {
  for (const auto& [k, v] : r.headers) {
    if (AsciiLower(k) == lower_name) return v;
  }
  return "";
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < raw.size()) {
    size_t amp = raw.find('&', start);
    std::string_view part = std::string_view(raw).substr(start, amp == std::string::npos ? amp : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      auto k = PercentDecode(part.substr(0, eq));
      auto v = PercentDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
      if (!k.ok() || !v.ok()) return std::nullopt;
      out.emplace_back(*k, *v);
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

std::optional<Micros> ParseAmzDate(const std::string& text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<Micros>(timegm(&tm)) * kMicrosPerSecond;
}

SigV4Verifier::SigV4Verifier(s3::SigV4Credentials accepted, const Clock& clock, Micros max_skew)
    : accepted_(std::move(accepted)), clock_(clock), max_skew_(max_skew) {}

std::optional<S3Error> SigV4Verifier::Verify(const IncomingRequest& request) const {
  std::string authorization = HeaderValue(request, "authorization");
  if (!authorization.empty()) return VerifyHeader(request, authorization);
  auto query = ParseQuery(request.raw_query);
  if (!query) return Denied("AuthorizationQueryParametersError", "malformed percent escape in the query", 400);
  for (const auto& [k, v] : *query) {
    if (k == "X-Amz-Signature") return VerifyPresigned(request, *query);
  }
  for (const auto& [k, v] : *query) {
    if (k == "AWSAccessKeyId" || k == "Signature") {
      return Denied("AccessDenied",
                    "Signature Version 2 presigned URLs are not accepted: presign with Signature V4 (boto3: "
                    "Config(signature_version='s3v4'))");
    }
  }
  return Denied("AccessDenied",
                "request is not signed: sign it with AWS Signature V4 using the credentials the data cache "
                "was started with (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)");
}

std::optional<S3Error> SigV4Verifier::VerifyHeader(const IncomingRequest& request,
                                                   const std::string& authorization) const {
  static constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
  if (authorization.rfind(kAlgorithm, 0) != 0) {
    return Denied("InvalidArgument",
                  "unsupported authorization type: only AWS4-HMAC-SHA256 (Signature V4) is accepted", 400);
  }
  std::string credential, signed_headers, signature;
  std::string_view rest = std::string_view(authorization).substr(kAlgorithm.size());
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string part = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string::npos) continue;
    std::string name = part.substr(0, eq);
    std::string value = part.substr(eq + 1);
    if (name == "Credential") credential = value;
    if (name == "SignedHeaders") signed_headers = value;
    if (name == "Signature") signature = value;
  }
  if (credential.empty() || signed_headers.empty() || signature.empty()) {
    return Denied("AuthorizationHeaderMalformed",
                  "the Authorization header must carry Credential, SignedHeaders and Signature", 400);
  }
  std::string amz_date = HeaderValue(request, "x-amz-date");
  if (amz_date.empty()) return Denied("AccessDenied", "the request has no x-amz-date header");
  std::string payload = HeaderValue(request, "x-amz-content-sha256");
  if (payload.empty()) {
    return Denied("InvalidRequest", "the request has no x-amz-content-sha256 header (S3 requires it)", 400);
  }
  auto query = ParseQuery(request.raw_query);
  if (!query) return Denied("AuthorizationQueryParametersError", "malformed percent escape in the query", 400);
  return Check(request, *query, credential, signed_headers, amz_date, payload, signature, -1);
}

std::optional<S3Error> SigV4Verifier::VerifyPresigned(
    const IncomingRequest& request, const std::vector<std::pair<std::string, std::string>>& query) const {
  std::string algorithm, credential, signed_headers, amz_date, expires, signature;
  std::vector<std::pair<std::string, std::string>> signed_query;
  for (const auto& [k, v] : query) {
    if (k == "X-Amz-Signature") {
      signature = v;
      continue;
    }
    signed_query.emplace_back(k, v);
    if (k == "X-Amz-Algorithm") algorithm = v;
    if (k == "X-Amz-Credential") credential = v;
    if (k == "X-Amz-SignedHeaders") signed_headers = v;
    if (k == "X-Amz-Date") amz_date = v;
    if (k == "X-Amz-Expires") expires = v;
  }
  if (algorithm != "AWS4-HMAC-SHA256") {
    return Denied("AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256", 400);
  }
  if (credential.empty() || signed_headers.empty() || amz_date.empty() || expires.empty()) {
    return Denied("AuthorizationQueryParametersError",
                  "a presigned URL needs X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Date and X-Amz-Expires", 400);
  }
  int64_t expires_s = -1;
  if (expires.size() > 6 || expires.find_first_not_of("0123456789") != std::string::npos ||
      (expires_s = std::stoll(expires)) > 604800) {
    return Denied("AuthorizationQueryParametersError",
                  "X-Amz-Expires must be a number of seconds from 0 to 604800", 400);
  }
  std::string payload = HeaderValue(request, "x-amz-content-sha256");
  if (payload.empty()) payload = std::string(s3::kUnsignedPayload);
  return Check(request, signed_query, credential, signed_headers, amz_date, payload, signature, expires_s);
}

std::optional<S3Error> SigV4Verifier::Check(const IncomingRequest& request,
                                            std::vector<std::pair<std::string, std::string>> signed_query,
                                            const std::string& credential, const std::string& signed_headers,
                                            const std::string& amz_date, const std::string& payload_sha256,
                                            const std::string& signature, int64_t expires_s) const {
  // Credential = ACCESS_KEY/DATE/REGION/SERVICE/aws4_request
  std::vector<std::string> scope;
  size_t start = 0;
  while (true) {
    size_t slash = credential.find('/', start);
    scope.push_back(credential.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (scope.size() != 5 || scope[4] != "aws4_request" || scope[3] != "s3") {
    return Denied("AuthorizationHeaderMalformed",
                  "credential '" + credential + "' is not ACCESS_KEY/DATE/REGION/s3/aws4_request", 400);
  }
  if (scope[0] != accepted_.access_key) {
    return Denied("InvalidAccessKeyId", "access key '" + scope[0] + "' is not the one this data cache accepts");
  }
  std::optional<Micros> when = ParseAmzDate(amz_date);
  if (!when) return Denied("AccessDenied", "x-amz-date '" + amz_date + "' is not YYYYMMDDTHHMMSSZ");
  if (scope[1] != amz_date.substr(0, 8)) {
    return Denied("SignatureDoesNotMatch", "the credential date does not match x-amz-date");
  }
  Micros now = clock_.Now();
  if (expires_s >= 0) {
    if (*when - now > max_skew_) return Denied("RequestTimeTooSkewed", "the presigned URL is dated in the future");
    if (now > *when + expires_s * kMicrosPerSecond) return Denied("AccessDenied", "the presigned URL has expired");
  } else if (*when - now > max_skew_ || now - *when > max_skew_) {
    return Denied("RequestTimeTooSkewed",
                  "the difference between the request time and the data cache's clock is more than " +
                      std::to_string(max_skew_ / kMicrosPerSecond) + " s");
  }

  s3::SigV4Request canonical;
  canonical.method = request.method;
  canonical.path = request.raw_path.empty() ? "/" : request.raw_path;
  canonical.query = std::move(signed_query);
  canonical.payload_sha256 = payload_sha256;
  start = 0;
  bool has_host = false;
  while (start <= signed_headers.size()) {
    size_t semi = signed_headers.find(';', start);
    std::string name = signed_headers.substr(start, semi == std::string::npos ? semi : semi - start);
    if (name == "host") has_host = true;
    bool found = false;
    for (const auto& [k, v] : request.headers) {
      if (AsciiLower(k) == name) {
        canonical.headers.emplace_back(name, v);
        found = true;
      }
    }
    if (!found) return Denied("AccessDenied", "signed header '" + name + "' is missing from the request");
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  if (!has_host) return Denied("AccessDenied", "the Host header must be signed");
  s3::SigV4Signer signer({accepted_.access_key, accepted_.secret_key, ""}, scope[2], "s3");
  std::string canonical_request = s3::SigV4Signer::CanonicalRequest(canonical, nullptr);
  std::string to_sign = signer.StringToSign(canonical_request, amz_date);
  Sha256Digest key = signer.SigningKey(amz_date.substr(0, 8));
  std::string expected =
      HexLower(HmacSha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), to_sign));
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Denied("SignatureDoesNotMatch",
                  "the request signature does not match the one computed with the data cache's secret key for "
                  "access key '" + accepted_.access_key + "'");
  }
  return std::nullopt;
}

}  // namespace mlcost::datacache
