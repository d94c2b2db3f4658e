// EntryIndex: the entries/ directory — one JSON file per stage key, published atomically and
// always after the blobs it names.
#ifndef MLCOST_STAGECACHE_ENTRY_INDEX_H_
#define MLCOST_STAGECACHE_ENTRY_INDEX_H_

#include <string>
#include <vector>

#include "mlcost/status.h"
#include "stagecache/cache_layout.h"
#include "stagecache/entry.h"

namespace mlcost::stagecache {

class EntryIndex {
 public:
  explicit EntryIndex(const CacheLayout& layout) : layout_(layout) {}

  // NotFound when there is no entry; InvalidArgument (ParseEntry's) when it is corrupted or partial.
  Result<Entry> Load(const std::string& key) const;
  // The raw bytes of the entry (for push). NotFound when absent.
  Result<std::string> LoadRaw(const std::string& key) const;

  // Writes the entry atomically (temp, fsync, rename, fsync dir). The caller stored its blobs first.
  Status Publish(const Entry& entry) const;

  // Removes the entry; OK when absent.
  Status Remove(const std::string& key) const;

  // Every key with an entry file (sorted).
  Result<std::vector<std::string>> ListKeys() const;

 private:
  const CacheLayout& layout_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_ENTRY_INDEX_H_
