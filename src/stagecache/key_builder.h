// KeyBuilder: the stage key — SHA-256 over a canonical, versioned JSON description of the stage
// (docs/cache.md, "Keying"). The description is compact JSON with object keys sorted:
//
//   {"cmd":[argv...],"deps":[{"path":..,"sha256":..,"type":"file"|"dir"}...],
//    "env":{NAME: value|null...},"format":"mlcost-stagecache/1","outs":[path...],
//    "params":{K: V...},"scripts":[{"path":..,"sha256":..}...]}
//
// deps and outs are sorted by path, so the order of --dep/--out flags does not matter; the order of
// argv does. With an explicit user key the description is {"format":..,"user_key":KEY} and nothing
// else is hashed: the user owns invalidation.
#ifndef MLCOST_STAGECACHE_KEY_BUILDER_H_
#define MLCOST_STAGECACHE_KEY_BUILDER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "stagecache/dep_hasher.h"

namespace mlcost::stagecache {

struct ScriptDigest {
  std::string path;
  std::string sha256;
};

struct StageSpec {
  std::vector<std::string> argv;
  std::vector<DepDigest> deps;
  std::map<std::string, std::string> params;
  std::vector<ScriptDigest> scripts;
  std::map<std::string, std::optional<std::string>> env;  // allow-listed names; nullopt = unset
  std::vector<std::string> outs;
};

struct StageKey {
  std::string key;          // 64 lowercase hex
  std::string description;  // the canonical JSON that was hashed
};

// The key of `spec`.
StageKey BuildKey(const StageSpec& spec);

// The key of an explicit --key (already checked by CheckUserKey).
StageKey BuildUserKey(const std::string& user_key);

// The scripts a command runs, by rule: argv[0] when it names an existing regular file by a path
// with a '/', and the first argument after argv[0] that does not start with '-' and names an
// existing regular file (the script an interpreter runs: `python3 prep.py`). Their SHA-256.
// IoError codes when such a file cannot be read.
Result<std::vector<ScriptDigest>> ScriptsOf(const std::vector<std::string>& argv);

// The environment allow-list: `names` (from --env and $MLCOST_CACHE_ENV, comma-separated) plus
// the defaults (LANG, LC_ALL, PYTHONHASHSEED, TZ), with their values now.
std::map<std::string, std::optional<std::string>> AllowedEnv(const std::vector<std::string>& names);

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_KEY_BUILDER_H_
