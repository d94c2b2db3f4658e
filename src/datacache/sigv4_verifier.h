// SigV4Verifier: checks the AWS Signature V4 of a request sent to the data cache, signed in the
// Authorization header or presigned in the query string, with the one key pair the proxy
// accepts (the usual AWS environment variables). The signature is recomputed with s3::SigV4Signer
// over the request exactly as it arrived (raw path, decoded query, the signed headers).
#ifndef MLCOST_DATACACHE_SIGV4_VERIFIER_H_
#define MLCOST_DATACACHE_SIGV4_VERIFIER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "datacache/s3_error.h"
#include "s3/sigv4_signer.h"

namespace mlcost::datacache {

// The parts of an incoming request the signature covers.
struct IncomingRequest {
  std::string method;
  std::string raw_path;   // as sent, still percent-encoded ("/bucket/a%20b")
  std::string raw_query;  // after '?', still encoded; "" when none
  // Header names in any case; several values of one name in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Immutable after construction; thread-safe. `clock` must outlive it.
class SigV4Verifier {
 public:
  // Requests may be signed for any region (as with s3rver); the service must be "s3". A request
  // whose time is more than `max_skew` from the clock is refused (S3 allows 15 minutes).
  SigV4Verifier(s3::SigV4Credentials accepted, const Clock& clock,
                Micros max_skew = 15 * 60 * kMicrosPerSecond);

  // nullopt when the signature is valid. Otherwise the S3 error to answer: 403 AccessDenied
  // (no signature, presigned URL expired), 403 InvalidAccessKeyId, 403 SignatureDoesNotMatch,
  // 403 RequestTimeTooSkewed, 400 AuthorizationHeaderMalformed / AuthorizationQueryParametersError
  // (unparsable), 400 InvalidArgument (unsupported algorithm).
  std::optional<S3Error> Verify(const IncomingRequest& request) const;

 private:
  std::optional<S3Error> VerifyHeader(const IncomingRequest& request, const std::string& authorization) const;
  std::optional<S3Error> VerifyPresigned(const IncomingRequest& request,
                                         const std::vector<std::pair<std::string, std::string>>& query) const;
  // Checks credential scope, time and signature once the pieces are parsed.
  std::optional<S3Error> Check(const IncomingRequest& request,
                               std::vector<std::pair<std::string, std::string>> signed_query,
                               const std::string& credential, const std::string& signed_headers,
                               const std::string& amz_date, const std::string& payload_sha256,
                               const std::string& signature, int64_t expires_s) const;

  s3::SigV4Credentials accepted_;
  const Clock& clock_;
  Micros max_skew_;
};

// Parses "YYYYMMDDTHHMMSSZ" into microseconds since the epoch, or nullopt.
std::optional<Micros> ParseAmzDate(const std::string& text);

// Splits a raw query "a=1&b=&c" into percent-decoded pairs, in order (empty parts skipped);
// nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(const std::string& raw);

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_SIGV4_VERIFIER_H_
