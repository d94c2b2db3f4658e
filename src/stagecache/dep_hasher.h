// DepHasher: the content digests of a stage's dependencies (files and folders) and a snapshot of
// their metadata, so that a change during the run can be detected afterwards.
//
// A file's digest is its SHA-256. A folder's digest is SHA-256 over "mlcost-tree/1\n" followed,
// for each regular file below it in byte order of its relative path, by
// "<relpath>\0<size>\0<sha256>\n" (symlinks to files are followed; empty folders do not count).
// Files whose (dev, inode, size, mtime_ns) is in the FileHashCache are not read; the others are
// hashed on `threads` threads at once.
#ifndef MLCOST_STAGECACHE_DEP_HASHER_H_
#define MLCOST_STAGECACHE_DEP_HASHER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "stagecache/file_hash_cache.h"

namespace mlcost::stagecache {

struct DepDigest {
  std::string path;  // as given, lexically normalised
  bool is_dir = false;
  std::string sha256;
  uint64_t size = 0;   // bytes, all files
  uint64_t files = 0;  // 1 for a file
};

// One file's metadata, for change detection.
struct FileState {
  std::string path;
  FileId id;
  int64_t ctime_ns = 0;
  bool operator==(const FileState& o) const { return path == o.path && id == o.id && ctime_ns == o.ctime_ns; }
};

struct DepSnapshot {
  std::vector<DepDigest> deps;   // in the order given
  std::vector<FileState> files;  // every file of every dep, sorted by path
  uint64_t bytes_hashed = 0;     // bytes actually read (memo misses)
  uint64_t bytes_total = 0;
};

class DepHasher {
 public:
  // `memo` may be null (hash everything). Files modified at or after `racy_after_ns` (Unix ns) are
  // hashed but not remembered: their mtime could still change within its granularity. `threads`
  // >= 1.
  DepHasher(FileHashCache* memo, int threads, int64_t racy_after_ns)
      : memo_(memo), threads_(threads < 1 ? 1 : threads), racy_after_ns_(racy_after_ns) {}

  // Hashes `deps`. NotFound "dependency 'PATH' does not exist" for a missing path;
  // InvalidArgument for something that is neither a regular file nor a folder; IoError codes for
  // unreadable files.
  Result<DepSnapshot> Hash(const std::vector<std::string>& deps) const;

  // Only the metadata (no hashing): what Hash would put in DepSnapshot::files.
  static Result<std::vector<FileState>> Stat(const std::vector<std::string>& deps);

  // "" when `before` and `after` list the same files with the same metadata, else a sentence
  // naming the first difference ("'data/a.csv' changed while the stage ran").
  static std::string DescribeChange(const std::vector<FileState>& before, const std::vector<FileState>& after);

 private:
  FileHashCache* memo_;
  int threads_;
  int64_t racy_after_ns_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_DEP_HASHER_H_
