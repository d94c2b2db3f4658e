#include "agent/process_tree_sampler.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace mlcost::agent {
namespace {

constexpr size_t kBufferSize = 4096;

// Parses an unsigned decimal at `p` (leading spaces skipped); advances `p` past it.
uint64_t ParseUnsigned(const char*& p, const char* end) {
  while (p < end && *p == ' ') ++p;
  uint64_t v = 0;
  while (p < end && *p >= '0' && *p <= '9') v = v * 10 + static_cast<uint64_t>(*p++ - '0');
  return v;
}

// Skips `n` space-separated fields.
void SkipFields(const char*& p, const char* end, int n) {
  for (int i = 0; i < n; ++i) {
    while (p < end && *p == ' ') ++p;
    while (p < end && *p != ' ') ++p;
  }
}

// The value after "name:" in a "key: value" file such as /proc/PID/io; 0 when absent.
uint64_t FieldValue(const char* data, long size, const char* name) {
  const char* end = data + size;
  size_t len = std::strlen(name);
  for (const char* p = data; p < end;) {
    const char* line_end = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (line_end == nullptr) line_end = end;
    if (static_cast<size_t>(line_end - p) > len && std::memcmp(p, name, len) == 0 && p[len] == ':') {
      const char* v = p + len + 1;
      return ParseUnsigned(v, line_end);
    }
    p = line_end + 1;
  }
  return 0;
}

}  // namespace

ProcessTreeSampler::ProcessTreeSampler(int root, std::string proc_root)
    : root_(root), proc_root_(std::move(proc_root)), buffer_(kBufferSize) {}

int64_t ProcessTreeSampler::TicksPerSecond() {
  static const int64_t ticks = [] {
    long t = sysconf(_SC_CLK_TCK);
    return t > 0 ? static_cast<int64_t>(t) : int64_t{100};
  }();
  return ticks;
}

long ProcessTreeSampler::ReadFile(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  long n = read(fd, buffer_.data(), buffer_.size() - 1);
  close(fd);
  if (n >= 0) buffer_[n] = '\0';
  return n;
}

bool ProcessTreeSampler::ReadStat(int pid, Process& out) {
  path_.assign(proc_root_).append("/").append(std::to_string(pid)).append("/stat");
  long n = ReadFile(path_.c_str());
  if (n <= 0) return false;
  const char* data = buffer_.data();
  const char* end = data + n;
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  const char* p = static_cast<const char*>(memrchr(data, ')', n));
  if (p == nullptr) return false;
  ++p;
  SkipFields(p, end, 1);  // 3 state
  out.pid = pid;
  out.ppid = static_cast<int>(ParseUnsigned(p, end));  // 4
  SkipFields(p, end, 9);                               // 5..13
  uint64_t utime = ParseUnsigned(p, end);              // 14
  uint64_t stime = ParseUnsigned(p, end);              // 15
  uint64_t cutime = ParseUnsigned(p, end);             // 16 (signed in the kernel; never negative)
  uint64_t cstime = ParseUnsigned(p, end);             // 17
  out.cpu_ticks = utime + stime + cutime + cstime;
  SkipFields(p, end, 6);                  // 18..23
  out.rss_pages = ParseUnsigned(p, end);  // 24
  return true;
}

void ProcessTreeSampler::AddIo(int pid, TreeReading& reading) {
  path_.assign(proc_root_).append("/").append(std::to_string(pid)).append("/io");
  long n = ReadFile(path_.c_str());
  if (n <= 0) return;
  reading.read_bytes += FieldValue(buffer_.data(), n, "read_bytes");
  reading.write_bytes += FieldValue(buffer_.data(), n, "write_bytes");
}

TreeReading ProcessTreeSampler::Read() {
  const auto by_pid = [](const Process& a, const Process& b) { return a.pid < b.pid; };
  const bool full_scan = reads_++ % kFullScanEvery == 0;
  std::swap(all_, prev_);
  all_.clear();
  DIR* dir = opendir(proc_root_.c_str());
  if (dir != nullptr) {
    while (const dirent* entry = readdir(dir)) {
      const char* name = entry->d_name;
      if (name[0] < '1' || name[0] > '9') continue;
      char* rest = nullptr;
      long pid = std::strtol(name, &rest, 10);
      if (*rest != '\0') continue;
      Process p;
      p.pid = static_cast<int>(pid);
      auto known = std::lower_bound(prev_.begin(), prev_.end(), p, by_pid);
      if (!full_scan && known != prev_.end() && known->pid == p.pid &&
          !std::binary_search(tree_.begin(), tree_.end(), p.pid)) {
        p.ppid = known->ppid;  // outside the tree last time: its parent is remembered
        all_.push_back(p);
        continue;
      }
      if (ReadStat(p.pid, p)) {
        p.read = true;
        all_.push_back(p);
      }
    }
    closedir(dir);
  }
  tree_.clear();
  // Membership spreads from the root down parent links until nothing changes: a few passes, one
  // per generation whose pids are lower than their parent's (after pid wrap-around).
  std::sort(all_.begin(), all_.end(), by_pid);
  Process root_key;
  root_key.pid = root_;
  auto root = std::lower_bound(all_.begin(), all_.end(), root_key, by_pid);
  bool root_alive = root != all_.end() && root->pid == root_;
  // The root was outside the tree only before it existed: read it now.
  if (root_alive && !root->read) root_alive = (root->read = ReadStat(root_, *root));
  if (root_alive) tree_.push_back(root_);
  for (bool grew = root_alive; grew;) {
    grew = false;
    for (const Process& p : all_) {
      if (!std::binary_search(tree_.begin(), tree_.end(), p.ppid)) continue;
      auto at = std::lower_bound(tree_.begin(), tree_.end(), p.pid);
      if (at != tree_.end() && *at == p.pid) continue;
      tree_.insert(at, p.pid);
      grew = true;
    }
  }
  TreeReading reading;
  bool gone = false;
  static const uint64_t page_size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  for (Process& p : all_) {
    if (!std::binary_search(tree_.begin(), tree_.end(), p.pid)) continue;
    // Joined the tree through a remembered parent: its times are needed now. Gone meanwhile: it
    // leaves the tree (its pid is marked and dropped below).
    if (!p.read && !(p.read = ReadStat(p.pid, p))) {
      gone = true;
      p.pid = -p.pid;
      continue;
    }
    ++reading.processes;
    reading.cpu_ticks += p.cpu_ticks;
    reading.rss_bytes += p.rss_pages * page_size;
    AddIo(p.pid, reading);
  }
  if (gone) {
    for (const Process& p : all_) {
      if (p.pid < 0) tree_.erase(std::lower_bound(tree_.begin(), tree_.end(), -p.pid));
    }
    all_.erase(std::remove_if(all_.begin(), all_.end(), [](const Process& p) { return p.pid < 0; }),
               all_.end());
  }
  return reading;
}

}  // namespace mlcost::agent
