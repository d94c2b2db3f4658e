// What the stage cache accepts as an output path and as a user key (docs/cache.md, "Bad input"):
// both are confined below their root, so nothing a user types can make the cache write or delete
// outside the working directory or the cache directory.
#ifndef MLCOST_STAGECACHE_PATH_RULES_H_
#define MLCOST_STAGECACHE_PATH_RULES_H_

#include <string>

#include "mlcost/status.h"

namespace mlcost::stagecache {

// `path` as a relative, '/'-separated, normalised path ("./a//b/" -> "a/b"). InvalidArgument
// naming `what` and the path when it is empty, absolute, contains a ".." component or a NUL, or
// normalises to ".".
Result<std::string> CheckRelativePath(const std::string& path, const std::string& what);

// An explicit --key: 1-200 characters of [A-Za-z0-9._:/=+-], no "..", not starting with '/'.
// Returns it unchanged, or InvalidArgument saying what is wrong.
Result<std::string> CheckUserKey(const std::string& key);

// True when `key` is 64 lowercase hex characters (an entry key or a blob digest).
bool IsHexDigest(const std::string& key);

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_PATH_RULES_H_
