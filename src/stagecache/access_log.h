// AccessLog: <cache>/access.log, one line "<unix_micros> <key>" per store and per hit, appended
// with O_APPEND (one write(2) per line, so concurrent writers never interleave within a line).
// gc reads it for least-recently-used order: an explicit record, not atime (which noatime and
// relatime mounts do not keep). A torn or malformed line is skipped.
#ifndef MLCOST_STAGECACHE_ACCESS_LOG_H_
#define MLCOST_STAGECACHE_ACCESS_LOG_H_

#include <map>
#include <string>

#include "common/time_util.h"
#include "mlcost/status.h"
#include "stagecache/cache_layout.h"

namespace mlcost::stagecache {

class AccessLog {
 public:
  explicit AccessLog(const CacheLayout& layout) : layout_(layout) {}

  // Appends one access of `key` at `when`. IoError codes on failure.
  Status Record(const std::string& key, Micros when) const;

  // The latest access per key (empty when there is no log).
  Result<std::map<std::string, Micros>> LastAccess() const;

  // Rewrites the log atomically with one line per key in `last` (gc, under the exclusive gc lock,
  // so no Record runs concurrently).
  Status Rewrite(const std::map<std::string, Micros>& last) const;

 private:
  const CacheLayout& layout_;
};

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_ACCESS_LOG_H_
