// StageCache: `mlcost cache run` — key a stage, restore its outputs on a hit, run it and store its
// outputs on a miss (docs/cache.md). Thread-compatible; several processes may share one cache
// directory (per-key lock, atomic publication, entries last).
#ifndef MLCOST_STAGECACHE_STAGE_CACHE_H_
#define MLCOST_STAGECACHE_STAGE_CACHE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"
#include "stagecache/access_log.h"
#include "stagecache/blob_store.h"
#include "stagecache/cache_layout.h"
#include "stagecache/entry_index.h"

namespace mlcost::stagecache {

struct RunRequest {
  std::vector<std::string> argv;             // the command
  std::vector<std::string> deps;             // files or folders (must exist)
  std::map<std::string, std::string> params;
  std::vector<std::string> outs;             // relative paths (files or folders)
  std::string user_key;                      // empty: computed from the description
  std::vector<std::string> env_names;        // added to the environment allow-list
  RestoreMode restore = RestoreMode::kCopy;  // how a hit materialises outputs
  int hash_threads = 0;                      // 0: min(hardware threads, 8)
  bool stdout_to_stderr = false;             // the command's stdout (for --json)
  // Remote hooks (RemoteCache): tried on a local miss before running; called after a store.
  std::function<bool(const std::string& key)> pull;
  std::function<void(const std::string& key)> push;
};

struct RunOutcome {
  std::string key;
  std::string label;
  // "hit": outputs restored, command not run; "miss": command ran and its outputs were stored;
  // "uncached": command ran, nothing stored (see `why`); "failed": command exited non-zero.
  std::string status;
  int exit_code = 0;        // the command's, 0 on a hit
  uint64_t bytes = 0;       // outputs' bytes
  double seconds = 0;       // this invocation, wall time
  double seconds_saved = 0; // hit: the stored run's duration minus this invocation
  double decide_seconds = 0;  // time to compute the key and find (or not) a valid entry, restore excluded
  uint64_t bytes_hashed = 0;  // dependency bytes read (file-hash memo misses)
  std::string why;            // "uncached": the reason; "hit" after waiting: whom we waited for
  std::vector<std::string> warnings;
};

class StageCache {
 public:
  // `root`: the cache directory (created on first store). `warn` receives warnings as they happen
  // (default: none; they are also in RunOutcome::warnings).
  StageCache(std::string root, const Clock& clock = SystemClock::Get(),
             std::function<void(const std::string&)> warn = {});

  // Runs or restores the stage. Errors (nothing run, nothing stored): InvalidArgument for a bad
  // out path or key, an empty command or an incompatible cache format; NotFound for a missing
  // dependency or a command that cannot be executed; after a successful command NotFound
  // "output 'P' was not created by the command" (nothing cached).
  // A cache that cannot be written (read-only, full, no permission) is not an error: the command
  // runs, status is "uncached" and `why` says so.
  Result<RunOutcome> Run(const RunRequest& request);

  // The valid entry for `key`, or nullopt. An entry that does not parse or whose blobs are
  // missing or of the wrong size is removed (a warning says why) and reported as nullopt.
  Result<std::optional<Entry>> Lookup(const std::string& key);

  const CacheLayout& layout() const { return layout_; }

 private:
  void Warn(RunOutcome* out, const std::string& message);
  Status RestoreOutputs(const Entry& entry, RestoreMode mode);
  Result<Entry> StoreOutputs(const std::string& key, const std::string& description, const std::string& label,
                             const std::vector<std::string>& outs, double run_seconds);

  CacheLayout layout_;
  const Clock& clock_;
  std::function<void(const std::string&)> warn_;
  EntryIndex index_;
  BlobStore blobs_;
  AccessLog access_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_STAGE_CACHE_H_
