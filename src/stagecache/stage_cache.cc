#include "stagecache/stage_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "stagecache/command_runner.h"
#include "stagecache/dep_hasher.h"
#include "stagecache/durable_io.h"
#include "stagecache/file_hash_cache.h"
#include "stagecache/file_lock.h"
#include "stagecache/key_builder.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

double Since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

// Errors that mean "this cache directory cannot be written" rather than "the stage is wrong".
bool IsUnwritable(const Status& s) {
  return s.code() == StatusCode::kPermissionDenied || s.code() == StatusCode::kResourceExhausted;
}

std::string LabelOf(const RunRequest& r) {
  if (!r.user_key.empty()) return r.user_key;
  std::string s;
  for (const auto& a : r.argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s.size() > 200 ? s.substr(0, 197) + "..." : s;
}

// The regular files of the outputs, as (path relative to cwd, executable). NotFound when an
// output does not exist or is an empty folder.
Result<std::vector<std::pair<std::string, bool>>> ExpandOutputs(const std::vector<std::string>& outs) {
  std::vector<std::pair<std::string, bool>> files;
  for (const std::string& out : outs) {
    struct stat st {};
    if (::stat(out.c_str(), &st) != 0) return NotFound("output '" + out + "' was not created by the command");
    if (S_ISREG(st.st_mode)) {
      files.emplace_back(out, (st.st_mode & S_IXUSR) != 0);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return InvalidArgument("output '" + out + "' is neither a file nor a folder");
    size_t before = files.size();
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(out, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      struct stat fst {};
      if (::stat(it->path().c_str(), &fst) != 0 || !S_ISREG(fst.st_mode)) continue;
      files.emplace_back(it->path().lexically_normal().generic_string(), (fst.st_mode & S_IXUSR) != 0);
    }
    if (ec) return IoError("cannot list output", out, ec.value());
    if (files.size() == before) return NotFound("output folder '" + out + "' was created empty: nothing to cache");
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace

StageCache::StageCache(std::string root, const Clock& clock, std::function<void(const std::string&)> warn)
    : layout_(std::move(root)), clock_(clock), warn_(std::move(warn)), index_(layout_), blobs_(layout_),
      access_(layout_) {}

void StageCache::Warn(RunOutcome* out, const std::string& message) {
  if (warn_) warn_(message);
  if (out != nullptr) out->warnings.push_back(message);
}

Result<std::optional<Entry>> StageCache::Lookup(const std::string& key) {
  auto entry = index_.Load(key);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kNotFound) return std::optional<Entry>();
    if (entry.status().code() != StatusCode::kInvalidArgument) return entry.status();
    Warn(nullptr, entry.status().message() + "; removed, treated as a miss");
    if (Status s = index_.Remove(key); !s.ok()) Warn(nullptr, s.message());
    return std::optional<Entry>();
  }
  for (const OutputFile& o : entry->outputs) {
    if (!blobs_.Has(o.sha256, o.size)) {
      Warn(nullptr, "entry " + key + " is invalid: the blob of output '" + o.path +
                        "' is missing or has the wrong size; removed, treated as a miss");
      if (Status s = index_.Remove(key); !s.ok()) Warn(nullptr, s.message());
      return std::optional<Entry>();
    }
  }
  return std::optional<Entry>(std::move(*entry));
}

Status StageCache::RestoreOutputs(const Entry& entry, RestoreMode mode) {
  // Outputs are replaced wholesale: a folder output loses files the cached run did not make.
  for (const OutputFile& o : entry.outputs) {
    std::error_code ec;
    // Remove what stands in the way: a stale file, or a folder where a file goes.
    if (fs::is_directory(o.path, ec)) fs::remove_all(o.path, ec);
    RETURN_IF_ERROR(blobs_.Restore(o.sha256, o.size, o.path, mode, o.executable));
  }
  return Status::Ok();
}

Result<Entry> StageCache::StoreOutputs(const std::string& key, const std::string& description,
                                       const std::string& label, const std::vector<std::string>& outs,
                                       double run_seconds) {
  ASSIGN_OR_RETURN(auto files, ExpandOutputs(outs));
  // Stores hold the gc lock shared, so gc (exclusive) never deletes a blob between our Put (which
  // may find it already present) and the entry that references it.
  ASSIGN_OR_RETURN(auto gc_lock, FileLock::Acquire(layout_.GcLockPath(), FileLock::Kind::kShared));
  Entry e;
  e.key = key;
  e.description = description;
  e.label = label;
  e.created_at = clock_.Now();
  e.run_seconds = run_seconds;
  for (const auto& [path, exec] : files) {
    ASSIGN_OR_RETURN(FileDigest d, blobs_.Put(path));
    e.outputs.push_back({path, d.sha256, d.size, exec});
  }
  RETURN_IF_ERROR(index_.Publish(e));
  RETURN_IF_ERROR(access_.Record(key, e.created_at));
  return e;
}

Result<RunOutcome> StageCache::Run(const RunRequest& request) {
  const Steady::time_point start = Steady::now();
  RunOutcome out;
  out.label = LabelOf(request);
  if (request.argv.empty()) return InvalidArgument("no command given (put it after --)");
  if (request.outs.empty()) return InvalidArgument("at least one --out is needed: a stage without outputs has nothing to cache");
  std::vector<std::string> outs;
  for (const std::string& o : request.outs) {
    ASSIGN_OR_RETURN(std::string p, CheckRelativePath(o, "--out"));
    outs.push_back(p);
  }
  std::sort(outs.begin(), outs.end());
  outs.erase(std::unique(outs.begin(), outs.end()), outs.end());
  if (!request.user_key.empty()) RETURN_IF_ERROR(CheckUserKey(request.user_key).status());
  RETURN_IF_ERROR(layout_.CheckVersion());

  bool writable = true;
  if (Status s = layout_.Create(); !s.ok()) {
    if (!IsUnwritable(s)) return s;
    writable = false;
    out.why = "the cache directory cannot be written (" + s.message() + ")";
    Warn(&out, "cache disabled: " + out.why + "; the command runs uncached");
  }

  // The key.
  FileHashCache memo;
  memo.Load(layout_.FileHashesPath());
  int threads = request.hash_threads > 0
                    ? request.hash_threads
                    : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  // Files modified in the last 2 s may still change within their mtime's granularity: not memoised.
  const int64_t racy_after_ns = clock_.Now() * 1000 - 2'000'000'000;
  std::vector<FileState> before;
  StageKey key;
  if (!request.user_key.empty()) {
    ASSIGN_OR_RETURN(before, DepHasher::Stat(request.deps));
    key = BuildUserKey(request.user_key);
  } else {
    DepHasher hasher(&memo, threads, racy_after_ns);
    ASSIGN_OR_RETURN(DepSnapshot snap, hasher.Hash(request.deps));
    out.bytes_hashed = snap.bytes_hashed;
    before = std::move(snap.files);
    StageSpec spec;
    spec.argv = request.argv;
    spec.deps = std::move(snap.deps);
    spec.params = request.params;
    ASSIGN_OR_RETURN(spec.scripts, ScriptsOf(request.argv));
    spec.env = AllowedEnv(request.env_names);
    spec.outs = outs;
    key = BuildKey(spec);
  }
  out.key = key.key;
  if (writable) {
    if (Status s = memo.Save(layout_.TmpDir(), layout_.FileHashesPath()); !s.ok()) Warn(&out, s.message());
  }

  // A hit: restore. A restore that finds a corrupted blob drops the entry and carries on as a miss.
  auto try_hit = [&]() -> Result<bool> {
    // Held shared while we read the entry and copy its blobs, so a gc cannot evict them under us.
    std::unique_ptr<FileLock> gc_lock;
    if (writable) {
      auto l = FileLock::Acquire(layout_.GcLockPath(), FileLock::Kind::kShared);
      if (l.ok()) gc_lock = std::move(*l);
    }
    ASSIGN_OR_RETURN(std::optional<Entry> entry, Lookup(key.key));
    if (!entry && request.pull && writable && request.pull(key.key)) {
      ASSIGN_OR_RETURN(entry, Lookup(key.key));
    }
    if (!entry) return false;
    out.decide_seconds = Since(start);
    Status s = RestoreOutputs(*entry, request.restore);
    if (!s.ok()) {
      for (const OutputFile& o : entry->outputs) {
        if (!blobs_.Has(o.sha256, o.size)) {
          Warn(&out, "the blob of output '" + o.path + "' vanished while restoring; treated as a miss");
          return false;
        }
      }
      if (s.code() != StatusCode::kInternal) return s;
      Warn(&out, s.message() + "; entry " + key.key + " removed, treated as a miss");
      RETURN_IF_ERROR(index_.Remove(key.key));
      for (const OutputFile& o : entry->outputs) {
        if (!blobs_.Verify(o.sha256).ok()) RETURN_IF_ERROR(blobs_.Remove(o.sha256));
      }
      return false;
    }
    if (writable) {
      if (Status a = access_.Record(key.key, clock_.Now()); !a.ok()) Warn(&out, a.message());
    }
    out.status = "hit";
    out.bytes = entry->TotalBytes();
    out.seconds = Since(start);
    out.seconds_saved = std::max(0.0, entry->run_seconds - out.seconds);
    return true;
  };
  ASSIGN_OR_RETURN(bool hit, try_hit());
  if (hit) return out;
  out.decide_seconds = Since(start);

  // A miss: one process per key computes; the others wait for it and then reuse its entry.
  std::unique_ptr<FileLock> lock;
  if (writable) {
    auto l = FileLock::Acquire(layout_.LockPath(key.key), FileLock::Kind::kExclusive, [&](const std::string& who) {
      out.why = "waited for " + who;
      if (warn_) warn_("another process is computing this stage (" + who + "); waiting for it");
    });
    if (l.ok()) {
      lock = std::move(*l);
      ASSIGN_OR_RETURN(hit, try_hit());
      if (hit) return out;
      out.why.clear();
    } else {
      Warn(&out, "running without the stage lock: " + l.status().message());
    }
  }

  // Stale outputs must not pass for the command's work.
  for (const std::string& o : outs) {
    std::error_code ec;
    fs::remove_all(o, ec);
  }
  const Steady::time_point run_start = Steady::now();
  ASSIGN_OR_RETURN(out.exit_code, RunCommand(request.argv, request.stdout_to_stderr));
  const double run_seconds = Since(run_start);
  out.seconds = Since(start);
  if (out.exit_code != 0) {
    out.status = "failed";
    out.why = "the command exited with status " + std::to_string(out.exit_code) + "; nothing cached";
    return out;
  }
  for (const std::string& o : outs) {
    struct stat st {};
    if (::stat(o.c_str(), &st) != 0) return NotFound("output '" + o + "' was not created by the command; nothing cached");
  }
  auto after = DepHasher::Stat(request.deps);
  std::string change = after.ok() ? DepHasher::DescribeChange(before, *after) : after.status().message();
  out.status = "uncached";
  if (!change.empty()) {
    out.why = "an input changed while the stage ran: " + change + "; nothing cached";
    Warn(&out, out.why);
    return out;
  }
  if (!writable) return out;
  auto stored = StoreOutputs(key.key, key.description, out.label, outs, run_seconds);
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound || stored.status().code() == StatusCode::kInvalidArgument) {
      return stored.status();
    }
    out.why = "the outputs could not be stored (" + stored.status().message() + "); nothing cached";
    Warn(&out, out.why);
    return out;
  }
  out.status = "miss";
  out.bytes = stored->TotalBytes();
  out.seconds = Since(start);
  if (request.push) request.push(key.key);
  return out;
}

}  // namespace mlcost::stagecache
