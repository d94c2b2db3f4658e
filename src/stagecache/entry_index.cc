#include "stagecache/entry_index.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "stagecache/durable_io.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {

namespace fs = std::filesystem;

Result<std::string> EntryIndex::LoadRaw(const std::string& key) const {
  if (!IsHexDigest(key)) return InvalidArgument("'" + key + "' is not a stage key (64 hex characters)");
  return ReadSmallFile(layout_.EntryPath(key));
}

Result<Entry> EntryIndex::Load(const std::string& key) const {
  ASSIGN_OR_RETURN(std::string raw, LoadRaw(key));
  return ParseEntry(raw, key);
}

Status EntryIndex::Publish(const Entry& entry) const {
  std::string path = layout_.EntryPath(entry.key);
  RETURN_IF_ERROR(MakeDirs(fs::path(path).parent_path().string()));
  return WriteFileAtomically(layout_.TmpDir(), path, EntryToJson(entry));
}

Status EntryIndex::Remove(const std::string& key) const {
  std::string path = layout_.EntryPath(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("cannot remove", path, errno);
  return Status::Ok();
}

Result<std::vector<std::string>> EntryIndex::ListKeys() const {
  std::vector<std::string> keys;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(layout_.EntriesDir(), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() != 69 || name.compare(64, 5, ".json") != 0) continue;
    std::string key = name.substr(0, 64);
    if (IsHexDigest(key)) keys.push_back(key);
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return IoError("cannot list", layout_.EntriesDir(), ec.value());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace mlcost::stagecache
