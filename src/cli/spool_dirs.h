// Where `mlcost run` keeps its per-run state, and finding spools left undelivered by earlier runs.
//
//   .mlcost/runs/<run_id>/checkpoints  the job's MLCOST_CHECKPOINT_DIR
//   .mlcost/runs/<run_id>/resume       checkpoints fetched from a remote store to resume from
//   .mlcost/runs/<run_id>/spool        events not yet delivered to the server (agent::EventSpool)
//   .mlcost/store/<run_id>             the default (local) checkpoint store of the run
#ifndef MLCOST_CLI_SPOOL_DIRS_H_
#define MLCOST_CLI_SPOOL_DIRS_H_

#include <string>
#include <vector>

#include "cli/api_client.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// `state_dir`/runs/*/spool directories that hold an events.jsonl (something left to deliver),
// sorted; nothing when `state_dir` does not exist.
std::vector<std::string> PendingSpoolDirs(const std::string& state_dir);

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
