// CacheLayout: where everything lives inside a stage cache directory (docs/cache.md, "Layout").
//
//   VERSION                      "mlcost-stagecache/1"
//   blobs/<aa>/<sha256>          output file contents, content-addressed, read-only
//   entries/<aa>/<key>.json      one entry per stage key, written LAST
//   locks/<key>.lock             per-key compute lock (flock); locks/gc.lock (shared by stores,
//                                exclusive for gc)
//   tmp/                         temp files (same file system as blobs/ so rename is atomic)
//   access.log                   "<unix_micros> <key>" per store and hit (LRU for gc)
//   filehashes                   memo of file digests keyed by (dev, inode, size, mtime_ns)
#ifndef MLCOST_STAGECACHE_CACHE_LAYOUT_H_
#define MLCOST_STAGECACHE_CACHE_LAYOUT_H_

#include <string>

#include "mlcost/status.h"

namespace mlcost::stagecache {

inline constexpr const char* kCacheFormat = "mlcost-stagecache/1";

class CacheLayout {
 public:
  // The cache directory: `flag` when not empty, else $MLCOST_CACHE_DIR, else $HOME/.cache/mlcost.
  // InvalidArgument when none is set.
  static Result<std::string> ResolveDir(const std::string& flag);

  // Uses `root` as the cache (nothing touched).
  explicit CacheLayout(std::string root) : root_(std::move(root)) {}

  // Creates the directories and VERSION when missing. PermissionDenied (read-only file system,
  // no write permission) or ResourceExhausted (disk full) with the OS's message; InvalidArgument
  // when VERSION names another format (nothing is touched then).
  Status Create() const;

  // InvalidArgument when the directory holds a VERSION of another format; OK when absent.
  Status CheckVersion() const;

  const std::string& root() const { return root_; }
  std::string BlobPath(const std::string& sha256) const;
  std::string EntryPath(const std::string& key) const;
  std::string LockPath(const std::string& key) const;
  std::string GcLockPath() const { return root_ + "/locks/gc.lock"; }
  std::string TmpDir() const { return root_ + "/tmp"; }
  std::string BlobsDir() const { return root_ + "/blobs"; }
  std::string EntriesDir() const { return root_ + "/entries"; }
  std::string LocksDir() const { return root_ + "/locks"; }
  std::string AccessLogPath() const { return root_ + "/access.log"; }
  std::string FileHashesPath() const { return root_ + "/filehashes"; }

 private:
  std::string root_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_CACHE_LAYOUT_H_
