// Where `mlcost run` keeps its per-run state, and finding spools left undelivered by earlier runs.
//
//   .mlcost/runs/<run_id>/checkpoints  the job's MLCOST_CHECKPOINT_DIR
//   .mlcost/runs/<run_id>/resume       checkpoints fetched from a remote store to resume from
//   .mlcost/runs/<run_id>/spool        events not yet delivered to the server (agent::EventSpool)
//   .mlcost/store/<run_id>             the default (local) checkpoint store of the run
#ifndef MLCOST_CLI_SPOOL_DIRS_H_
#define MLCOST_CLI_SPOOL_DIRS_H_

#include <optional>
#include <string>
#include <vector>

#include "cli/api_client.h"
#include "cli/target.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// `state_dir`/runs/*/spool directories that hold an events.jsonl (something left to deliver),
// sorted; nothing when `state_dir` does not exist.
std::vector<std::string> PendingSpoolDirs(const std::string& state_dir);

// Records in the spool directory which server its events are for (the file `target`: "url URL"
// or "data-dir ABSOLUTE_PATH"), so they are never delivered to another server (where the run
// would not exist). Internal when it cannot be written.
Status WriteSpoolTarget(const std::string& spool_dir, const TargetOptions& target);
// The recorded target; nullopt when there is none or it is unreadable.
std::optional<TargetOptions> ReadSpoolTarget(const std::string& spool_dir);
// Whether two targets name the same server (same URL, or the same data directory).
bool SameTarget(const TargetOptions& a, const TargetOptions& b);

struct FlushReport {
  int64_t delivered = 0;
  int64_t rejected = 0;
  int64_t left = 0;  // still pending (the server could not be reached)
  std::string last_error;
};

// Delivers the events of the spool in `dir`, in order, over `client`, in this thread; stops at the
// first event the server cannot take now (left > 0). Internal when the spool cannot be read.
Result<FlushReport> FlushSpool(ApiClient& client, const std::string& dir);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_SPOOL_DIRS_H_
