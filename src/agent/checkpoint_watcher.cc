#include "agent/checkpoint_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace mlcost::agent {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool CheckpointWatcher::IsInProgressName(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.back() == '~') return true;
  for (const char* suffix : {".tmp", ".part", ".partial", ".swp", ".lock"}) {
    if (EndsWith(name, suffix)) return true;
  }
  return false;
}

std::vector<std::string> CheckpointWatcher::Scan(bool settle_now) {
  namespace fs = std::filesystem;
  std::vector<std::string> ready;
  std::error_code error;
  fs::recursive_directory_iterator it(dir_, fs::directory_options::skip_permission_denied, error);
  if (error) return ready;
  std::map<std::string, Seen> current;
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    if (entry.is_directory(error) && name.size() > 0 && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(error) || IsInProgressName(name)) continue;
    struct stat st {};
    if (stat(entry.path().c_str(), &st) != 0) continue;  // renamed or removed meanwhile
    std::string relative = entry.path().lexically_relative(dir_).string();
    Seen now;
    now.size = st.st_size;
    now.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    auto before = seen_.find(relative);
    bool unchanged = before != seen_.end() && before->second.size == now.size &&
                     before->second.mtime_ns == now.mtime_ns;
    now.reported = unchanged && before->second.reported;
    if (!now.reported && (unchanged || settle_now)) {
      now.reported = true;
      ready.push_back(relative);
    }
    current[relative] = now;
  }
  seen_ = std::move(current);
  std::sort(ready.begin(), ready.end());
  return ready;
}

}  // namespace mlcost::agent
