// RemoteCache: a shared stage cache on S3-compatible storage (docs/cache.md, "Remote").
//
//   s3://BUCKET/PREFIX/blobs/<sha256>         output contents
//   s3://BUCKET/PREFIX/entries/<key>.json     the entry, byte for byte as stored locally
//
// Push uploads blobs first (each PUT signs the blob's SHA-256 as the payload hash, so S3 rejects
// a body that differs; blobs already there are skipped) and the entry last. Pull treats the
// remote as untrusted: the entry must parse and its key must be the SHA-256 of its description,
// each blob is downloaded into tmp/ and re-hashed before it enters the local blob store, and the
// local entry is published only after all its blobs are in.
#ifndef MLCOST_STAGECACHE_REMOTE_CACHE_H_
#define MLCOST_STAGECACHE_REMOTE_CACHE_H_

#include <memory>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "s3/s3_client.h"
#include "stagecache/cache_layout.h"

namespace mlcost::stagecache {

struct TransferReport {
  std::vector<std::string> entries;  // keys transferred
  std::vector<std::string> skipped;  // keys already at the destination
  std::vector<std::string> failed;   // "KEY: why"
  uint64_t blobs = 0;                // blobs transferred
  uint64_t bytes = 0;
};

class RemoteCache {
 public:
  // `uri` is s3://BUCKET[/PREFIX]; the endpoint and credentials come from S3Config::FromEnvironment
  // (`endpoint` overrides the endpoint). InvalidArgument for another scheme, no bucket, or
  // missing credentials.
  static Result<std::unique_ptr<RemoteCache>> Open(const std::string& uri, const std::string& endpoint,
                                                   const CacheLayout& layout);

  // Pushes the local entries `keys` (all local entries when empty). An entry that is invalid
  // locally or fails to upload is listed in `failed`; the call fails only when listing fails.
  Result<TransferReport> Push(const std::vector<std::string>& keys);

  // Pulls `keys` (every remote entry when empty) that are not present locally.
  Result<TransferReport> Pull(const std::vector<std::string>& keys);

  // One key each; Pull answers NotFound when the remote has no such entry.
  Status PushOne(const std::string& key, TransferReport* report);
  Status PullOne(const std::string& key, TransferReport* report);

  // Remote entry keys (sorted).
  Result<std::vector<std::string>> ListKeys();

 private:
  RemoteCache(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string prefix, const CacheLayout& layout)
      : client_(std::move(client)), bucket_(std::move(bucket)), prefix_(std::move(prefix)), layout_(layout) {}
  std::string BlobKey(const std::string& sha) const { return prefix_ + "blobs/" + sha; }
  std::string EntryKey(const std::string& key) const { return prefix_ + "entries/" + key + ".json"; }

  std::unique_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string prefix_;  // "" or ending in '/'
  const CacheLayout& layout_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_REMOTE_CACHE_H_
