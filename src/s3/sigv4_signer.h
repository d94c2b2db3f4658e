// AWS Signature Version 4 for requests signed in the Authorization header
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
#ifndef MLCOST_S3_SIGV4_SIGNER_H_
#define MLCOST_S3_SIGV4_SIGNER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sha256.h"
#include "common/time_util.h"

namespace mlcost::s3 {

// The payload hash value S3 accepts instead of the body's SHA-256 (for streamed bodies).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// SHA-256 of the empty string.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// What is signed. `path` is the already URI-encoded absolute path ("/bucket/a%20b"); `query`
// holds raw (not yet encoded) names and values; `headers` must include "host". Header names
// are compared case-insensitively; values are trimmed and inner runs of spaces collapsed.
struct SigV4Request {
  std::string method;
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  // Hex SHA-256 of the body, or kUnsignedPayload.
  std::string payload_sha256 = std::string(kEmptyPayloadSha256);
};

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // empty: none
};

// Signs requests for one region and service ("s3"). Immutable after construction; thread-safe.
class SigV4Signer {
 public:
  SigV4Signer(SigV4Credentials credentials, std::string region, std::string service = "s3");

  // The headers to add to the request: "x-amz-date", "x-amz-security-token" (when a session
  // token is set), "x-amz-content-sha256" (for service "s3"), and "Authorization". The added
  // x-amz-* headers are signed too. `amz_date` is "YYYYMMDDTHHMMSSZ".
  std::vector<std::pair<std::string, std::string>> Sign(const SigV4Request& request,
                                                        const std::string& amz_date) const;

  // The steps, exposed for the published test vectors. `request.headers` is used as given
  // (nothing added).
  static std::string CanonicalRequest(const SigV4Request& request, std::string* signed_headers);
  std::string StringToSign(const std::string& canonical_request, const std::string& amz_date) const;
  Sha256Digest SigningKey(const std::string& date) const;  // date: "YYYYMMDD"
  std::string Authorization(const SigV4Request& request, const std::string& amz_date) const;

 private:
  std::string Scope(const std::string& date) const;

  SigV4Credentials credentials_;
  std::string region_;
  std::string service_;
};

// Percent-encodes everything but A-Z a-z 0-9 - _ . ~ (and '/' unless `encode_slash`), as S3 and
// SigV4 require (uppercase hex).
std::string UriEncode(std::string_view text, bool encode_slash);

// "20150830T123600Z" for a UTC time.
std::string AmzDate(Micros t);

}  // namespace mlcost::s3

#endif  // MLCOST_S3_SIGV4_SIGNER_H_
