// Entry: what the cache remembers for one stage key — the outputs' paths, sizes, modes and
// content digests (docs/cache.md, "Formats"). Entries from a remote are untrusted, so Parse checks
// everything a restore relies on.
#ifndef MLCOST_STAGECACHE_ENTRY_H_
#define MLCOST_STAGECACHE_ENTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::stagecache {

struct OutputFile {
  std::string path;  // relative to the stage's working directory, '/'-separated, no ".."
  std::string sha256;
  uint64_t size = 0;
  bool executable = false;
};

struct Entry {
  std::string key;
  std::string description;  // the canonical JSON the key hashes
  std::string label;        // for humans: the --key, or the command line
  Micros created_at = 0;
  double run_seconds = 0;  // how long the command ran: what a hit saves
  std::vector<OutputFile> outputs;  // sorted by path

  uint64_t TotalBytes() const;
};

std::string EntryToJson(const Entry& e);

// InvalidArgument naming what is wrong when `json` is not a valid entry for `key`: bad JSON, another
// format, a key that is not SHA-256(description), an output path that is absolute or has "..",
// a digest that is not 64 hex characters.
Result<Entry> ParseEntry(const std::string& json, const std::string& key);

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_ENTRY_H_
