// CheckpointWatcher: finds the checkpoint files a job has finished writing into its checkpoint
// directory, so the agent can commit each exactly once.
//
// A file is a candidate when it is a regular file directly in the directory (or below it), its
// name does not start with '.' and does not end in .tmp, .part, .partial, .swp or '~' (the names
// of files still being written), and it is complete: its size and modification time are the same
// on two consecutive scans. A file that changes after it was reported is reported again.
#ifndef MLCOST_AGENT_CHECKPOINT_WATCHER_H_
#define MLCOST_AGENT_CHECKPOINT_WATCHER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlcost::agent {

class CheckpointWatcher {
 public:
  explicit CheckpointWatcher(std::string dir) : dir_(std::move(dir)) {}

  // Files (paths relative to the directory, sorted) that became complete since the last scan.
  // `settle_now` treats every candidate as complete without waiting for a second look (used after
  // the job has exited: nothing is writing any more). A missing directory yields nothing.
  std::vector<std::string> Scan(bool settle_now = false);

  // Forgets `relative`, so a file whose commit failed is reported again once it is stable.
  void Forget(const std::string& relative) { seen_.erase(relative); }

  // Whether `name` (a file name, no directory) looks like a file still being written.
  static bool IsInProgressName(const std::string& name);

  const std::string& dir() const { return dir_; }

 private:
  struct Seen {
    int64_t size = -1;
    int64_t mtime_ns = -1;
    bool reported = false;
  };

  std::string dir_;
  std::map<std::string, Seen> seen_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_CHECKPOINT_WATCHER_H_
