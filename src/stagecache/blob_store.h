// BlobStore: blobs/<aa>/<sha256>, one read-only file per distinct content. Put copies (never
// links: a user editing an output in place must not change the cache) and hashes the bytes it
// wrote; Restore copies or hard-links a blob to a destination atomically.
#ifndef MLCOST_STAGECACHE_BLOB_STORE_H_
#define MLCOST_STAGECACHE_BLOB_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "mlcost/status.h"
#include "stagecache/cache_layout.h"

namespace mlcost::stagecache {

enum class RestoreMode { kCopy, kHardlink };

struct BlobInfo {
  std::string sha256;
  uint64_t size = 0;
  int64_t mtime_s = 0;
};

class BlobStore {
 public:
  explicit BlobStore(const CacheLayout& layout) : layout_(layout) {}

  // Stores the file at `src` and returns its size and SHA-256 (of the bytes stored). A blob that
  // already exists is kept (same content by construction). Errors: CopyAndHash's, rename's.
  Result<FileDigest> Put(const std::string& src) const;

  // Moves `temp` (a complete file in tmp/, already fsynced) into place as blob `sha256`.
  Status Adopt(const std::string& temp, const std::string& sha256) const;

  // True when blob `sha256` exists with `size` bytes (a cheap check: no hashing).
  bool Has(const std::string& sha256, uint64_t size) const;

  // Writes blob `sha256` to `dest` (parents created): a temp file beside dest, renamed over it.
  // kCopy hashes while copying and fails with Internal "blob ... is corrupted" on a mismatch
  // (dest untouched); kHardlink links (falls back to a copy across file systems). `executable`
  // sets mode 0755 instead of 0644 on copies.
  Status Restore(const std::string& sha256, uint64_t size, const std::string& dest, RestoreMode mode,
                 bool executable) const;

  // Re-hashes the blob; Internal "corrupted" when its content is not `sha256`, NotFound when absent.
  Status Verify(const std::string& sha256) const;

  // Removes the blob; OK when absent.
  Status Remove(const std::string& sha256) const;

  // Every blob (name, size, mtime).
  Result<std::vector<BlobInfo>> List() const;

 private:
  const CacheLayout& layout_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_BLOB_STORE_H_
