// CheckpointCommitter: commits the checkpoint files a job writes into its MLCOST_CHECKPOINT_DIR
// to the run's checkpoint store, on a thread of its own, so a slow store (S3) never delays
// noticing that the job ended.
//
// Each file is saved as one checkpoint named after the file (SanitizeCheckpointName; when that
// name is taken — a job that rewrites "last.pt" every epoch — "-2", "-3", ... is appended), with
// its step from the first run of digits in the file name. A failed commit is reported on stderr
// and the file is tried again at the next scan; the job is never affected.
#ifndef MLCOST_CLI_CHECKPOINT_COMMITTER_H_
#define MLCOST_CLI_CHECKPOINT_COMMITTER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/checkpoint_watcher.h"
#include "checkpoint/checkpoint_store.h"

namespace mlcost::cli {

class CheckpointCommitter {
 public:
  // `store` must outlive the committer. Starts the thread.
  CheckpointCommitter(checkpoint::CheckpointStore& store, std::string local_dir);
  ~CheckpointCommitter();
  CheckpointCommitter(const CheckpointCommitter&) = delete;
  CheckpointCommitter& operator=(const CheckpointCommitter&) = delete;

  // Looks for newly completed files and queues them (call about once a second).
  void Scan();
  // After the job ended: queues every remaining file and waits until the queue is committed.
  void Settle();

  int64_t committed() const;

 private:
  void Loop();
  void Commit(const std::string& relative);

  checkpoint::CheckpointStore& store_;
  agent::CheckpointWatcher watcher_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::string> queue_;
  std::vector<std::string> failed_;  // to report again at the next scan
  std::map<std::string, int> next_suffix_;  // base name -> the next "-N" to try (commit thread only)
  bool busy_ = false;
  bool stop_ = false;
  int64_t committed_ = 0;
  std::thread thread_;
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_CHECKPOINT_COMMITTER_H_
