// DiskCache: whole objects on a local disk, with their metadata, bounded in bytes (LRU) and by a
// free-space floor. Layout under DIR (docs/datacache.md):
//   objects/ID[0:2]/ID        the object's bytes (ID = SHA-256 of "BUCKET/KEY")
//   objects/ID[0:2]/ID.meta   JSON metadata; written after the data, so a data file without it
//                             is an unfinished insert and is removed at Open
//   tmp/                      downloads in progress; emptied at Open
//   datacache.lock            flock: one process per cache directory
// The meta file's mtime records the last access, so the LRU order survives restarts.
#ifndef MLCOST_DATACACHE_DISK_CACHE_H_
#define MLCOST_DATACACHE_DISK_CACHE_H_

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "mlcost/status.h"

namespace mlcost::datacache {

struct ObjectMeta {
  std::string bucket;
  std::string key;
  std::string etag;           // as the upstream sent it, with its quotes
  uint64_t size = 0;
  std::string content_type;   // "" when the upstream sent none
  std::string last_modified;  // the upstream's Last-Modified header, verbatim
  Micros validated_at = 0;    // when the upstream last confirmed this ETag
};

struct DiskCacheOptions {
  std::string dir;
  // The object bytes kept at most. Objects larger than this are never cached.
  uint64_t max_bytes = 0;
  // Evict until the file system holding `dir` has at least this many bytes free. Default 0.
  uint64_t min_free_bytes = 0;
  // Free bytes on the file system; default statvfs(dir) (f_bavail * f_frsize). Tests inject one.
  // Called with the cache lock held: it must not call back into the cache.
  std::function<Result<uint64_t>()> free_bytes;
};

// An open cached object. While a Pin lives its entry is not evicted, and its bytes stay
// readable even if the entry is removed (the file is open and mapped). Thread-safe to share.
class CachedFile {
 public:
  ~CachedFile();
  CachedFile(const CachedFile&) = delete;
  CachedFile& operator=(const CachedFile&) = delete;

  const ObjectMeta& meta() const { return meta_; }
  // The whole object, mapped read-only (nullptr when it is empty).
  const char* data() const { return static_cast<const char*>(map_); }
  uint64_t size() const { return meta_.size; }

 private:
  friend class DiskCache;
  CachedFile() = default;
  ObjectMeta meta_;
  int fd_ = -1;
  void* map_ = nullptr;
  std::function<void()> unpin_;
};

class DiskCache {
 public:
  // Creates DIR (and objects/, tmp/), takes DIR/datacache.lock (Conflict when another process
  // holds it), empties tmp/, and loads every complete entry; incomplete or corrupt ones (no meta,
  // unparsable meta, data size differing from the meta) are deleted. An I/O error is the common
  // IoError naming the path (ResourceExhausted for a full disk, PermissionDenied, NotFound, else
  // Internal). `clock` must outlive the cache.
  static Result<std::unique_ptr<DiskCache>> Open(DiskCacheOptions options, const Clock& clock);
  ~DiskCache();

  // The cached object `id`, pinned and marked most recently used; nullptr when not cached.
  // An IoError (NotFound for a file that vanished) when the entry exists but its file cannot be
  // opened or mapped; the entry is dropped, so the caller can fetch it again from the upstream.
  // Thread-safe.
  Result<std::shared_ptr<CachedFile>> Lookup(const std::string& id);

  // A new empty file under DIR/tmp/ opened for writing: its path and descriptor (the caller
  // closes it). An IoError when the disk refuses.
  struct TempFile {
    std::string path;
    int fd = -1;
  };
  Result<TempFile> CreateTemp();

  // Publishes the complete file at `temp_path` (from CreateTemp) as `id` with `meta` (meta.size
  // must be its size), replacing an older entry, then evicts least recently used, unpinned
  // entries until the cache holds at most max_bytes and the free-space floor is met. TooLarge
  // when the object is larger than max_bytes; an IoError on an I/O error. On any error the temp
  // file is left to the caller. Returns the new entry, pinned.
  Result<std::shared_ptr<CachedFile>> Insert(const std::string& id, const ObjectMeta& meta,
                                             const std::string& temp_path);

  // Opens a file that is not (or no longer) in the cache, e.g. an object larger than the cache,
  // for serving; the path is unlinked once open. An IoError on an I/O error.
  static Result<std::shared_ptr<CachedFile>> OpenUncached(const std::string& path, const ObjectMeta& meta);

  // Records that the upstream confirmed `id`'s ETag at `validated_at` (rewrites its meta file).
  // NotFound when not cached.
  Status MarkValidated(const std::string& id, Micros validated_at);

  // Drops `id` if cached (a write, a delete or a changed ETag). Readers holding it keep reading.
  void Remove(const std::string& id);

  // Called with the size of every evicted object (metrics). Set before serving.
  void set_eviction_listener(std::function<void(uint64_t)> listener) { on_evict_ = std::move(listener); }

  uint64_t bytes() const;
  uint64_t objects() const;
  uint64_t max_bytes() const { return options_.max_bytes; }

 private:
  struct Entry {
    ObjectMeta meta;
    std::list<std::string>::iterator lru;  // position in lru_ (front = most recent)
    int pins = 0;
    uint64_t generation = 0;  // tells a replaced entry's pins from the new one's
  };

  DiskCache(DiskCacheOptions options, const Clock& clock, int lock_fd);
  Status Load();
  std::string DataPath(const std::string& id) const;
  std::string MetaPath(const std::string& id) const;
  Status WriteMeta(const std::string& id, const ObjectMeta& meta) const;
  Result<std::shared_ptr<CachedFile>> OpenPinned(const std::string& id, Entry& entry);  // mu_ held
  void EvictLocked(const std::string& keep);  // mu_ held
  void EraseLocked(std::map<std::string, Entry>::iterator it);  // mu_ held; removes the files

  DiskCacheOptions options_;
  const Clock& clock_;
  int lock_fd_;
  uint64_t temp_counter_ = 0;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;    // GUARDED_BY(mu_)
  std::function<void(uint64_t)> on_evict_;

  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  std::list<std::string> lru_;            // GUARDED_BY(mu_)
  uint64_t bytes_ = 0;                    // GUARDED_BY(mu_)
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_DISK_CACHE_H_
