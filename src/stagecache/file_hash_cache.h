// FileHashCache: remembers each file's SHA-256 by (device, inode, size, mtime_ns), so an unchanged
// 1 GB input is stat()ed, not re-read (DVC's State, git's index). Persisted as the text file
// <cache>/filehashes:
//
//   mlcost-filehashes/1
//   <dev> <inode> <size> <mtime_ns> <sha256> <last_used_unix_seconds>
//
// A damaged line is skipped (the file is only a memo: the worst case is re-hashing). Writers
// replace the file atomically; two writers at once lose at most the other's new lines.
#ifndef MLCOST_STAGECACHE_FILE_HASH_CACHE_H_
#define MLCOST_STAGECACHE_FILE_HASH_CACHE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mlcost/status.h"

namespace mlcost::stagecache {

struct FileId {
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileId& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns;
  }
};

struct FileIdHash {
  size_t operator()(const FileId& f) const {
    uint64_t h = f.ino * 0x9e3779b97f4a7c15ull ^ f.dev ^ (f.size << 17) ^ static_cast<uint64_t>(f.mtime_ns);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

class FileHashCache {
 public:
  // Keeps at most this many files (the least recently used are dropped on Save).
  static constexpr size_t kMaxEntries = 1'000'000;

  FileHashCache() = default;
  // Adds the lines of `path` to this memo; a missing or unreadable file adds nothing (never an
  // error). Not thread-safe with other calls.
  void Load(const std::string& path);

  // The remembered digest of that exact file version, if any. Thread-safe.
  std::optional<std::string> Lookup(const FileId& id) const;
  // Remembers `sha256` for `id`, stamped `now_seconds`. Thread-safe.
  void Insert(const FileId& id, const std::string& sha256, int64_t now_seconds);

  // Writes the memo atomically (temp in `tmp_dir`, rename) when something was inserted;
  // merges lines another process wrote since Load. Errors as WriteFileAtomically.
  Status Save(const std::string& tmp_dir, const std::string& path);

  size_t size() const;

 private:
  struct Value {
    std::string sha256;
    int64_t used = 0;
  };
  void ParseInto(const std::string& text);

  mutable std::mutex mu_;
  std::unordered_map<FileId, Value, FileIdHash> map_;  // GUARDED_BY(mu_)
  bool dirty_ = false;                                // GUARDED_BY(mu_)
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_FILE_HASH_CACHE_H_
