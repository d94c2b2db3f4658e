// S3Client: the S3 REST calls mlcost needs, path-style, signed with SigV4, over cpp-httplib
// (http, and https since the Debian build of cpp-httplib has OpenSSL support). Bodies are
// streamed from and to files, so a multi-GB object never sits in memory.
#ifndef MLCOST_S3_S3_CLIENT_H_
#define MLCOST_S3_S3_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"
#include "s3/s3_config.h"
#include "s3/sigv4_signer.h"

namespace mlcost::s3 {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;          // as S3 sends it, quotes removed
  Micros last_modified = 0;  // 0 when the server did not say
};

struct ListResult {
  std::vector<ObjectInfo> objects;           // in key order
  std::vector<std::string> common_prefixes;  // with a delimiter only
};

// Errors: every S3 error answer becomes a Status whose message names the operation, the
// s3://bucket/key, the HTTP status and S3's error Code and Message: 404 NotFound, 403
// PermissionDenied, 400 InvalidArgument, 409/412 Conflict, 5xx Unavailable, others Internal;
// an unreachable endpoint is Unavailable naming it. Requests that fail with a connection error or
// a 5xx are retried twice (after 0.2 s and 0.8 s) when the body can be replayed.
// Thread-safe: every call uses its own connection.
class S3Client {
 public:
  explicit S3Client(S3Config config, const Clock& clock = SystemClock::Get());

  const S3Config& config() const { return config_; }

  // Creates `bucket`; OK when this account already owns it.
  Status CreateBucket(const std::string& bucket);

  // PUTs `body` (small objects: manifests).
  Status PutObject(const std::string& bucket, const std::string& key, std::string_view body);

  // Uploads the file at `path`, streamed: one PUT up to config().part_size, multipart upload in
  // parts of that size above it, config().upload_threads parts at a time (aborted on failure, so
  // no parts are left behind). When
  // `payload_sha256` (hex) is given and one PUT is used, it is signed as the payload hash and S3
  // rejects a body that does not match it; otherwise UNSIGNED-PAYLOAD.
  Status PutObjectFromFile(const std::string& bucket, const std::string& key, const std::string& path,
                           const std::string& payload_sha256 = "");

  // The whole object in memory (small objects only).
  Result<std::string> GetObject(const std::string& bucket, const std::string& key);

  // Streams the object's bytes to `sink` in order; `sink` returns false to stop (the call then
  // returns Internal "download cancelled"). Not retried once bytes were delivered.
  Status GetObjectStream(const std::string& bucket, const std::string& key,
                         const std::function<bool(const char* data, size_t size)>& sink);

  // Streams the object into `path` (a temp file beside it, renamed over `path` when complete;
  // removed on failure).
  Status GetObjectToFile(const std::string& bucket, const std::string& key, const std::string& path);

  Result<ObjectInfo> HeadObject(const std::string& bucket, const std::string& key);

  // All objects under `prefix` (every page, following continuation tokens). With a non-empty
  // `delimiter`, keys that contain it after the prefix are rolled up into common_prefixes.
  Result<ListResult> ListObjectsV2(const std::string& bucket, const std::string& prefix,
                                   const std::string& delimiter = "");

  // Deletes the object; OK when it does not exist (S3 semantics).
  Status DeleteObject(const std::string& bucket, const std::string& key);

 private:
  struct Request;
  struct Response;
  Response Send(const Request& request) const;
  Status Execute(const Request& request, Response* response) const;
  Status MultipartUpload(const std::string& bucket, const std::string& key, const std::string& path,
                         uint64_t size);

  S3Config config_;
  const Clock& clock_;
  SigV4Signer signer_;
  std::string host_header_;
};

}  // namespace mlcost::s3

#endif  // MLCOST_S3_S3_CLIENT_H_
