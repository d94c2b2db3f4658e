#include "agent/oom_counter.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mlcost::agent {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<int64_t> ParseOomKillCount(std::string_view memory_events) {
  size_t pos = 0;
  while (pos < memory_events.size()) {
    size_t end = memory_events.find('\n', pos);
    if (end == std::string_view::npos) end = memory_events.size();
    std::string_view line = memory_events.substr(pos, end - pos);
    constexpr std::string_view kKey = "oom_kill ";
    if (line.substr(0, kKey.size()) == kKey) {
      std::string_view number = line.substr(kKey.size());
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
      if (ec != std::errc() || ptr != number.data() + number.size()) return std::nullopt;
      return value;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> ParseCgroupV2Path(std::string_view proc_self_cgroup) {
  size_t pos = 0;
  while (pos < proc_self_cgroup.size()) {
    size_t end = proc_self_cgroup.find('\n', pos);
    if (end == std::string_view::npos) end = proc_self_cgroup.size();
    std::string_view line = proc_self_cgroup.substr(pos, end - pos);
    if (line.substr(0, 3) == "0::") return std::string(line.substr(3));
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<int64_t> ReadOomKillCount() {
  std::string events_path;
  if (const char* forced = std::getenv("MLCOST_MEMORY_EVENTS_FILE"); forced != nullptr && *forced != '\0') {
    events_path = forced;
  } else {
    std::optional<std::string> cgroup = ReadFile("/proc/self/cgroup");
    if (!cgroup) return std::nullopt;
    std::optional<std::string> path = ParseCgroupV2Path(*cgroup);
    if (!path) return std::nullopt;
    events_path = "/sys/fs/cgroup" + (*path == "/" ? std::string() : *path) + "/memory.events";
  }
  std::optional<std::string> events = ReadFile(events_path);
  if (!events) return std::nullopt;
  return ParseOomKillCount(*events);
}

}  // namespace mlcost::agent
