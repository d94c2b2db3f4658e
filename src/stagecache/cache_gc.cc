#include "stagecache/cache_gc.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "stagecache/access_log.h"
#include "stagecache/blob_store.h"
#include "stagecache/entry_index.h"
#include "stagecache/file_lock.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {
namespace {

namespace fs = std::filesystem;

// Removes temp files older than an hour (a crashed writer's) and lock files nobody holds.
uint64_t SweepTempAndLocks(const CacheLayout& layout, Micros now) {
  uint64_t removed = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(layout.TmpDir(), ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    if (static_cast<Micros>(st.st_mtim.tv_sec) * kMicrosPerSecond < now - 3600 * kMicrosPerSecond) {
      if (::unlink(it->path().c_str()) == 0) ++removed;
    }
  }
  for (auto it = fs::directory_iterator(layout.LocksDir(), ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->path().string() == layout.GcLockPath()) continue;
    auto lock = FileLock::TryAcquire(it->path().string(), FileLock::Kind::kExclusive);
    if (lock.ok() && *lock != nullptr) (*lock)->RemoveFile();
  }
  return removed;
}

}  // namespace

Result<GcReport> CacheGc::Run(const GcOptions& options) {
  GcReport report;
  RETURN_IF_ERROR(layout_.CheckVersion());
  RETURN_IF_ERROR(layout_.Create());
  ASSIGN_OR_RETURN(auto gc_lock, FileLock::Acquire(layout_.GcLockPath(), FileLock::Kind::kExclusive));
  const Micros now = clock_.Now();
  EntryIndex index(layout_);
  BlobStore blobs(layout_);
  AccessLog access(layout_);

  ASSIGN_OR_RETURN(std::vector<BlobInfo> blob_list, blobs.List());
  std::unordered_map<std::string, uint64_t> blob_size;
  for (const BlobInfo& b : blob_list) {
    blob_size[b.sha256] = b.size;
    report.bytes_before += b.size;
  }

  // Valid entries and the blobs they reference.
  struct Live {
    std::string key;
    Micros last = 0;
    std::vector<std::string> blobs;
  };
  ASSIGN_OR_RETURN(auto last_access, access.LastAccess());
  ASSIGN_OR_RETURN(std::vector<std::string> keys, index.ListKeys());
  std::vector<Live> live;
  std::unordered_map<std::string, int> refs;
  for (const std::string& key : keys) {
    auto entry = index.Load(key);
    bool ok = entry.ok();
    if (ok) {
      for (const OutputFile& o : entry->outputs) {
        auto it = blob_size.find(o.sha256);
        if (it == blob_size.end() || it->second != o.size) ok = false;
      }
    }
    if (!ok) {
      if (!entry.ok() && entry.status().code() != StatusCode::kInvalidArgument) return entry.status();
      RETURN_IF_ERROR(index.Remove(key));
      report.invalid.push_back(key);
      continue;
    }
    Live l{key, entry->created_at, {}};
    if (auto it = last_access.find(key); it != last_access.end()) l.last = std::max(l.last, it->second);
    for (const OutputFile& o : entry->outputs) {
      l.blobs.push_back(o.sha256);
      ++refs[o.sha256];
    }
    live.push_back(std::move(l));
  }

  uint64_t total = 0;
  auto drop_blob = [&](const std::string& sha) -> Status {
    RETURN_IF_ERROR(blobs.Remove(sha));
    ++report.blobs_removed;
    return Status::Ok();
  };
  // Unreferenced blobs: a failed store's, or an evicted entry's from an interrupted gc.
  for (const auto& [sha, size] : blob_size) {
    if (refs.count(sha) == 0) {
      RETURN_IF_ERROR(drop_blob(sha));
    } else {
      total += size;
    }
  }

  std::sort(live.begin(), live.end(), [](const Live& a, const Live& b) {
    return a.last != b.last ? a.last < b.last : a.key < b.key;
  });
  auto evict = [&](const Live& l) -> Status {
    RETURN_IF_ERROR(index.Remove(l.key));  // the entry first: never an entry without blobs
    for (const std::string& sha : l.blobs) {
      if (--refs[sha] == 0) {
        RETURN_IF_ERROR(drop_blob(sha));
        total -= blob_size[sha];
      }
    }
    report.evicted.push_back(l.key);
    return Status::Ok();
  };
  size_t first_kept = 0;
  for (; first_kept < live.size(); ++first_kept) {
    const Live& l = live[first_kept];
    bool too_old = options.max_age && l.last < now - *options.max_age;
    bool too_big = options.max_size && total > *options.max_size;
    if (!too_old && !too_big) break;
    RETURN_IF_ERROR(evict(l));
  }
  std::map<std::string, Micros> kept;
  for (size_t i = first_kept; i < live.size(); ++i) kept[live[i].key] = live[i].last;
  report.entries_kept = kept.size();
  report.bytes_after = total;
  RETURN_IF_ERROR(access.Rewrite(kept));
  report.temp_files_removed = SweepTempAndLocks(layout_, now);
  return report;
}

}  // namespace mlcost::stagecache
