#include "stagecache/dep_hasher.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "common/sha256.h"
#include "stagecache/durable_io.h"

namespace mlcost::stagecache {
namespace {

namespace fs = std::filesystem;

FileState StateOf(const std::string& path, const struct stat& st) {
  FileState f;
  f.path = path;
  f.id.dev = st.st_dev;
  f.id.ino = st.st_ino;
  f.id.size = static_cast<uint64_t>(st.st_size);
  f.id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  f.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return f;
}

std::string Normal(const std::string& path) {
  std::string n = fs::path(path).lexically_normal().generic_string();
  while (n.size() > 1 && n.back() == '/') n.pop_back();
  return n;
}

// Appends the regular files below the open directory `dirfd` (named `dir_path`), with paths
// relative to the dep prefixed by `rel`. openat/fstatat relative to the directory: no path
// re-resolution per file. Symlinks to files are followed, symlinks to folders are not (no loops).
Status WalkDir(int dirfd, const std::string& dir_path, const std::string& rel,
               std::vector<std::pair<std::string, FileState>>* out) {
  DIR* d = ::fdopendir(dirfd);
  if (d == nullptr) {
    int err = errno;
    ::close(dirfd);
    return IoError("cannot list dependency", dir_path, err);
  }
  Status s;
  while (struct dirent* e = ::readdir(d)) {
    const char* name = e->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    struct stat st {};
    if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // vanished meanwhile
    const std::string path = dir_path + "/" + name;
    if (S_ISLNK(st.st_mode)) {
      if (::fstatat(dirfd, name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    }
    if (S_ISREG(st.st_mode)) {
      out->emplace_back(rel + name, StateOf(path, st));
    } else if (S_ISDIR(st.st_mode)) {
      int sub = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (sub < 0) {
        s = IoError("cannot open folder", path, errno);
        break;
      }
      s = WalkDir(sub, path, rel + name + "/", out);
      if (!s.ok()) break;
    }
  }
  ::closedir(d);
  return s;
}

// The regular files of one dep: (relative path, state), sorted by relative path.
Result<std::vector<std::pair<std::string, FileState>>> ListDep(const std::string& dep, bool* is_dir) {
  struct stat st {};
  if (::stat(dep.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT) return NotFound("dependency '" + dep + "' does not exist");
    return IoError("cannot stat dependency", dep, err);
  }
  std::vector<std::pair<std::string, FileState>> out;
  if (S_ISREG(st.st_mode)) {
    *is_dir = false;
    out.emplace_back("", StateOf(dep, st));
    return out;
  }
  if (!S_ISDIR(st.st_mode)) return InvalidArgument("dependency '" + dep + "' is neither a file nor a folder");
  *is_dir = true;
  int fd = ::open(dep.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open dependency", dep, errno);
  RETURN_IF_ERROR(WalkDir(fd, dep, "", &out));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace

Result<std::vector<FileState>> DepHasher::Stat(const std::vector<std::string>& deps) {
  std::vector<FileState> all;
  for (const std::string& raw : deps) {
    bool is_dir = false;
    ASSIGN_OR_RETURN(auto files, ListDep(Normal(raw), &is_dir));
    for (auto& [rel, state] : files) all.push_back(std::move(state));
  }
  std::sort(all.begin(), all.end(), [](const FileState& a, const FileState& b) { return a.path < b.path; });
  return all;
}

Result<DepSnapshot> DepHasher::Hash(const std::vector<std::string>& deps) const {
  struct Item {
    std::string rel;
    FileState state;
    std::string sha256;
  };
  std::vector<std::vector<Item>> per_dep;
  std::vector<bool> dirs;
  for (const std::string& raw : deps) {
    bool is_dir = false;
    ASSIGN_OR_RETURN(auto files, ListDep(Normal(raw), &is_dir));
    std::vector<Item> items;
    items.reserve(files.size());
    for (auto& [rel, state] : files) items.push_back(Item{std::move(rel), std::move(state), ""});
    per_dep.push_back(std::move(items));
    dirs.push_back(is_dir);
  }

  // Memo lookups, then the misses hashed in parallel (largest first, so threads finish together).
  std::vector<Item*> todo;
  DepSnapshot snap;
  for (auto& items : per_dep) {
    for (Item& it : items) {
      snap.bytes_total += it.state.id.size;
      if (memo_ != nullptr) {
        if (auto sha = memo_->Lookup(it.state.id)) {
          it.sha256 = *sha;
          continue;
        }
      }
      todo.push_back(&it);
    }
  }
  std::sort(todo.begin(), todo.end(), [](const Item* a, const Item* b) { return a->state.id.size > b->state.id.size; });
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> hashed{0};
  std::vector<Status> errors(static_cast<size_t>(threads_));
  auto work = [&](int t) {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= todo.size()) return;
      Item* it = todo[i];
      auto d = Sha256File(it->state.path);
      if (!d.ok()) {
        errors[static_cast<size_t>(t)] = d.status();
        next.store(todo.size());
        return;
      }
      it->sha256 = d->sha256;
      hashed.fetch_add(d->size);
      if (memo_ != nullptr && d->size == it->state.id.size && it->state.id.mtime_ns < racy_after_ns_) {
        memo_->Insert(it->state.id, d->sha256, racy_after_ns_ / 1'000'000'000);
      }
    }
  };
  int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads_), todo.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work, t);
  if (n >= 1) work(0);
  for (auto& th : pool) th.join();
  for (const Status& s : errors) RETURN_IF_ERROR(s);
  snap.bytes_hashed = hashed.load();

  for (size_t d = 0; d < per_dep.size(); ++d) {
    DepDigest dd;
    dd.path = Normal(deps[d]);
    dd.is_dir = dirs[d];
    if (!dd.is_dir) {
      dd.sha256 = per_dep[d][0].sha256;
      dd.size = per_dep[d][0].state.id.size;
      dd.files = 1;
    } else {
      Sha256 tree;
      tree.Update("mlcost-tree/1\n");
      for (const Item& it : per_dep[d]) {
        std::string line = it.rel;
        line += '\0';
        line += std::to_string(it.state.id.size);
        line += '\0';
        line += it.sha256;
        line += '\n';
        tree.Update(line);
        dd.size += it.state.id.size;
        ++dd.files;
      }
      dd.sha256 = tree.FinalHex();
    }
    snap.deps.push_back(std::move(dd));
    for (Item& it : per_dep[d]) snap.files.push_back(std::move(it.state));
  }
  std::sort(snap.files.begin(), snap.files.end(),
            [](const FileState& a, const FileState& b) { return a.path < b.path; });
  return snap;
}

std::string DepHasher::DescribeChange(const std::vector<FileState>& before, const std::vector<FileState>& after) {
  size_t i = 0, j = 0;
  while (i < before.size() && j < after.size()) {
    if (before[i].path < after[j].path) return "'" + before[i].path + "' was removed while the stage ran";
    if (after[j].path < before[i].path) return "'" + after[j].path + "' appeared while the stage ran";
    if (!(before[i] == after[j])) return "'" + before[i].path + "' changed while the stage ran";
    ++i;
    ++j;
  }
  if (i < before.size()) return "'" + before[i].path + "' was removed while the stage ran";
  if (j < after.size()) return "'" + after[j].path + "' appeared while the stage ran";
  return "";
}

}  // namespace mlcost::stagecache
