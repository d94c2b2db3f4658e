// DataDirLock: one process at a time owns a data directory. The holder writes who it is into
// DIR/mlcost.lock so a second process can say exactly who holds it.
#ifndef MLCOST_STORE_DATA_DIR_LOCK_H_
#define MLCOST_STORE_DATA_DIR_LOCK_H_

#include <memory>
#include <string>

#include "mlcost/status.h"

namespace mlcost::store {

class DataDirLock {
 public:
  // Creates `dir` if needed and takes an exclusive flock on DIR/mlcost.lock, recording
  // `holder` (e.g. "mlcost serve on http://127.0.0.1:8080") and this process's pid.
  // Conflict naming the current holder when another process has it; Internal on I/O errors.
  // The lock is released when the returned object is destroyed or the process dies (even by
  // kill -9), so a stale lock file never blocks.
  static Result<std::unique_ptr<DataDirLock>> Acquire(const std::string& dir, const std::string& holder);

  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

  // Rewrites the holder description (e.g. once the port is known).
  void UpdateHolder(const std::string& holder);

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mlcost::store

#endif  // MLCOST_STORE_DATA_DIR_LOCK_H_
