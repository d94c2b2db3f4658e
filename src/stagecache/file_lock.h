// FileLock: an flock(2) lock on a file under locks/, with stale recovery (docs/cache.md, "Locking").
//
// The kernel releases an flock when its holder exits or is killed, so a crashed holder never
// leaves a lock that blocks anyone: that is the stale recovery. The exclusive holder writes
// "<pid> <host> <unix_seconds>" into the file so a waiter can say whom it waits for. Lock files
// are never unlinked while someone may hold them: gc removes a lock file only while holding it,
// and Acquire re-checks after locking that the path still names the inode it locked (else it
// retries), so a removal cannot split one key's lock in two.
#ifndef MLCOST_STAGECACHE_FILE_LOCK_H_
#define MLCOST_STAGECACHE_FILE_LOCK_H_

#include <functional>
#include <memory>
#include <string>

#include "mlcost/status.h"

namespace mlcost::stagecache {

class FileLock {
 public:
  enum class Kind { kShared, kExclusive };

  // Locks `path` (created when missing). When the lock is busy and `on_wait` is set, calls it
  // once with the holder's description ("pid 123 on host h since ...") and then blocks until the
  // lock is free. Errors: IoError codes from open (PermissionDenied on a read-only cache);
  // Unavailable when the file system does not support flock.
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path, Kind kind,
                                                   const std::function<void(const std::string&)>& on_wait = {});

  // Like Acquire without waiting: nullptr (not an error) when someone else holds it.
  static Result<std::unique_ptr<FileLock>> TryAcquire(const std::string& path, Kind kind);

  // Releases the lock (close).
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Unlinks the lock file while holding it (gc).
  void RemoveFile();

  const std::string& path() const { return path_; }

 private:
  FileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  static Result<std::unique_ptr<FileLock>> Lock(const std::string& path, Kind kind, bool wait,
                                                const std::function<void(const std::string&)>& on_wait);
  std::string path_;
  int fd_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_FILE_LOCK_H_
