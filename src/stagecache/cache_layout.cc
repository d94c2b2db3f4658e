#include "stagecache/cache_layout.h"

#include <cstdlib>

#include "stagecache/durable_io.h"

namespace mlcost::stagecache {

Result<std::string> CacheLayout::ResolveDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("MLCOST_CACHE_DIR");
  if (env != nullptr && *env != '\0') return std::string(env);
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.cache/mlcost";
  return InvalidArgument("no cache directory: pass --cache-dir DIR or set MLCOST_CACHE_DIR");
}

Status CacheLayout::CheckVersion() const {
  auto version = ReadSmallFile(root_ + "/VERSION");
  if (!version.ok()) return version.status().code() == StatusCode::kNotFound ? Status::Ok() : version.status();
  std::string v = *version;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  if (v != kCacheFormat) {
    return InvalidArgument("cache directory '" + root_ + "' holds format '" + v + "', this mlcost reads '" +
                           kCacheFormat + "'");
  }
  return Status::Ok();
}

Status CacheLayout::Create() const {
  RETURN_IF_ERROR(CheckVersion());
  for (const std::string& d : {BlobsDir(), EntriesDir(), LocksDir(), TmpDir()}) RETURN_IF_ERROR(MakeDirs(d));
  auto version = ReadSmallFile(root_ + "/VERSION");
  if (!version.ok()) {
    RETURN_IF_ERROR(WriteFileAtomically(TmpDir(), root_ + "/VERSION", std::string(kCacheFormat) + "\n"));
  }
  return Status::Ok();
}

std::string CacheLayout::BlobPath(const std::string& sha256) const {
  return root_ + "/blobs/" + sha256.substr(0, 2) + "/" + sha256;
}

std::string CacheLayout::EntryPath(const std::string& key) const {
  return root_ + "/entries/" + key.substr(0, 2) + "/" + key + ".json";
}

std::string CacheLayout::LockPath(const std::string& key) const { return root_ + "/locks/" + key + ".lock"; }

}  // namespace mlcost::stagecache
