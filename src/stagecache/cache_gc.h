// CacheGc: `mlcost cache gc` — evicts whole entries, least recently used first, by age and by
// total size (docs/cache.md, "gc"). Recency comes from the access log (stores and hits), never
// from atime. An entry's file is removed before any of its blobs, and a blob is removed only when
// no remaining entry references it, so no index entry is ever left without its blobs. Runs under
// the exclusive gc lock: stores (which hold it shared) wait, and two gcs never race.
#ifndef MLCOST_STAGECACHE_CACHE_GC_H_
#define MLCOST_STAGECACHE_CACHE_GC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"
#include "stagecache/cache_layout.h"

namespace mlcost::stagecache {

struct GcOptions {
  std::optional<uint64_t> max_size;  // bytes of blobs to keep at most; none: no size limit
  std::optional<Micros> max_age;     // evict entries not used for longer; none: no age limit
};

struct GcReport {
  std::vector<std::string> evicted;  // keys, in eviction order
  std::vector<std::string> invalid;  // keys of corrupted/partial entries removed
  uint64_t bytes_before = 0;         // blobs, before
  uint64_t bytes_after = 0;
  uint64_t blobs_removed = 0;
  uint64_t entries_kept = 0;
  uint64_t temp_files_removed = 0;
};

class CacheGc {
 public:
  CacheGc(const CacheLayout& layout, const Clock& clock) : layout_(layout), clock_(clock) {}

  // Evicts per `options`; also removes invalid entries, unreferenced blobs, temp files older than
  // an hour and unheld lock files. IoError codes on failure (what was removed stays removed; the
  // invariant holds at every step).
  Result<GcReport> Run(const GcOptions& options);

 private:
  const CacheLayout& layout_;
  const Clock& clock_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_CACHE_GC_H_
