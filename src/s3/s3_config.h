// Where an S3-compatible object store is and how to sign for it (docs/checkpoints.md, "Store URI").
#ifndef MLCOST_S3_S3_CONFIG_H_
#define MLCOST_S3_S3_CONFIG_H_

#include <cstdint>
#include <string>

#include "mlcost/status.h"

namespace mlcost::s3 {

inline constexpr uint64_t kDefaultPartSize = 64ull << 20;

struct S3Config {
  // "http://127.0.0.1:9000" or "https://s3.us-east-1.amazonaws.com" (no path). Path-style
  // addressing: requests go to ENDPOINT/BUCKET/KEY.
  std::string endpoint;
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // empty: none
  // Files larger than this are uploaded with multipart upload in parts of this size (the last
  // part smaller). AWS needs at least 5 MiB; smaller values are for tests against s3rver.
  // Default 64 MiB; $MLCOST_S3_PART_SIZE (bytes) overrides it in FromEnvironment.
  uint64_t part_size = kDefaultPartSize;
  // https only: a PEM file of CA certificates to trust instead of the system's (a private
  // endpoint with its own CA). From $AWS_CA_BUNDLE in FromEnvironment. Default: none.
  std::string ca_bundle;
  // Parts uploaded at once (each on its own connection). Default 4.
  int upload_threads = 4;

  // The endpoint is `endpoint_override` when not empty, else $MLCOST_S3_ENDPOINT_URL, else
  // $AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com; region from $AWS_REGION, else
  // $AWS_DEFAULT_REGION, else us-east-1; credentials from AWS_ACCESS_KEY_ID,
  // AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN; ca_bundle from $AWS_CA_BUNDLE. InvalidArgument when
  // the endpoint is not an http(s) URL, when credentials are missing, or when MLCOST_S3_PART_SIZE is not a
  // positive integer.
  static Result<S3Config> FromEnvironment(const std::string& endpoint_override = "");
};

// Checks an endpoint URL: "http(s)://HOST[:PORT]" with an optional trailing '/'. Returns it
// without the trailing slash, or InvalidArgument naming it.
Result<std::string> NormalizeEndpoint(const std::string& url);

}  // namespace mlcost::s3

#endif  // MLCOST_S3_S3_CONFIG_H_
