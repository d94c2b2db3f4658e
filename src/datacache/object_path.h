// Where an S3 path-style request points: "/BUCKET/KEY". The data cache keys its files by a hash
// of bucket and key, so a key never becomes a file path; traversal-looking keys are refused
// anyway so that no upstream or client ever sees the proxy resolve "..".
#ifndef MLCOST_DATACACHE_OBJECT_PATH_H_
#define MLCOST_DATACACHE_OBJECT_PATH_H_

#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::datacache {

struct ObjectPath {
  std::string bucket;  // "" for the service root ("/": ListBuckets)
  std::string key;     // "" for bucket-level requests (listings, CreateBucket, DeleteObjects)
};

// Parses the percent-decoded request path. InvalidArgument naming the problem when the path does
// not start with '/', contains a NUL byte or a backslash, or when the bucket or any key segment is
// "." or ".." (a percent-encoded "%2e%2e" or "%2F" is caught too, since the path is decoded first).
Result<ObjectPath> ParseObjectPath(std::string_view decoded_path);

// Percent-decodes `text` ("%2F" -> "/"); '+' stays '+'. InvalidArgument on a malformed escape.
Result<std::string> PercentDecode(std::string_view text);

// The cache's name for an object: lowercase hex SHA-256 of "BUCKET/KEY".
std::string ObjectId(const ObjectPath& path);

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_OBJECT_PATH_H_
