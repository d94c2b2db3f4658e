#include "datacache/disk_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "common/durable_file.h"

namespace mlcost::datacache {
namespace {

namespace fs = std::filesystem;

std::string MetaToJson(const ObjectMeta& m) {
  nlohmann::json j = {{"version", 1},           {"bucket", m.bucket},
                      {"key", m.key},           {"etag", m.etag},
                      {"size", m.size},         {"content_type", m.content_type},
                      {"last_modified", m.last_modified}, {"validated_at_us", m.validated_at}};
  return j.dump();
}

std::optional<ObjectMeta> MetaFromJson(const std::string& text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (j.at("version").get<int>() != 1) return std::nullopt;
    ObjectMeta m;
    m.bucket = j.at("bucket").get<std::string>();
    m.key = j.at("key").get<std::string>();
    m.etag = j.at("etag").get<std::string>();
    m.size = j.at("size").get<uint64_t>();
    m.content_type = j.at("content_type").get<std::string>();
    m.last_modified = j.at("last_modified").get<std::string>();
    m.validated_at = j.at("validated_at_us").get<Micros>();
    return m;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Result<uint64_t> StatvfsFree(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return IoError("cannot statvfs", dir, errno);
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace

CachedFile::~CachedFile() {
  if (map_ != nullptr) ::munmap(map_, meta_.size);
  if (fd_ >= 0) ::close(fd_);
  if (unpin_) unpin_();
}

Result<std::shared_ptr<CachedFile>> DiskCache::OpenUncached(const std::string& path, const ObjectMeta& meta) {
  auto file = std::shared_ptr<CachedFile>(new CachedFile());
  file->meta_ = meta;
  file->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd_ < 0) return IoError("cannot open", path, errno);
  ::unlink(path.c_str());
  if (meta.size > 0) {
    file->map_ = ::mmap(nullptr, meta.size, PROT_READ, MAP_SHARED, file->fd_, 0);
    if (file->map_ == MAP_FAILED) {
      file->map_ = nullptr;
      return IoError("cannot map", path, errno);
    }
  }
  return file;
}

Result<std::unique_ptr<DiskCache>> DiskCache::Open(DiskCacheOptions options, const Clock& clock) {
  std::error_code ec;
  fs::create_directories(options.dir + "/objects", ec);
  if (!ec) fs::create_directories(options.dir + "/tmp", ec);
  if (ec) return Internal("cannot create cache directory " + options.dir + ": " + ec.message());
  std::string lock_path = options.dir + "/datacache.lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return IoError("cannot open", lock_path, errno);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return Conflict("cache directory " + options.dir + " is in use by another mlcost datacache process");
  }
  if (!options.free_bytes) {
    std::string dir = options.dir;
    options.free_bytes = [dir] { return StatvfsFree(dir); };
  }
  auto cache = std::unique_ptr<DiskCache>(new DiskCache(std::move(options), clock, lock_fd));
  RETURN_IF_ERROR(cache->Load());
  return cache;
}

DiskCache::DiskCache(DiskCacheOptions options, const Clock& clock, int lock_fd)
    : options_(std::move(options)), clock_(clock), lock_fd_(lock_fd) {}

DiskCache::~DiskCache() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string DiskCache::DataPath(const std::string& id) const {
  return options_.dir + "/objects/" + id.substr(0, 2) + "/" + id;
}

std::string DiskCache::MetaPath(const std::string& id) const { return DataPath(id) + ".meta"; }

Status DiskCache::Load() {
  std::error_code ec;
  struct Found {
    std::string id;
    ObjectMeta meta;
    int64_t access_ns;
  };
  std::vector<Found> found;
  std::error_code ignored;  // a failed cleanup of a broken entry is retried at the next start
  // directory_iterator's increment throws even with an error_code constructor: the exception
  // stays inside this adapter.
  try {
    for (const auto& e : fs::directory_iterator(options_.dir + "/tmp", ec)) fs::remove_all(e.path(), ignored);
    for (const auto& shard : fs::directory_iterator(options_.dir + "/objects", ec)) {
      if (!shard.is_directory()) continue;
      for (const auto& f : fs::directory_iterator(shard.path(), ec)) {
        std::string name = f.path().filename().string();
        bool is_meta = name.size() > 5 && name.compare(name.size() - 5, 5, ".meta") == 0;
        std::string id = is_meta ? name.substr(0, name.size() - 5) : name;
        std::string data = shard.path().string() + "/" + id;
        std::string meta_path = data + ".meta";
        if (!is_meta) {
          if (!fs::exists(meta_path)) fs::remove(data, ignored);  // an insert that never finished
          continue;
        }
        std::ifstream in(meta_path);
        std::stringstream text;
        text << in.rdbuf();
        std::optional<ObjectMeta> meta = MetaFromJson(text.str());
        struct stat st {};
        struct stat mst {};
        if (!meta || ::stat(data.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) != meta->size ||
            ::stat(meta_path.c_str(), &mst) != 0) {
          fs::remove(meta_path, ignored);
          fs::remove(data, ignored);
          continue;
        }
        found.push_back({id, *meta, static_cast<int64_t>(mst.st_mtim.tv_sec) * 1000000000 + mst.st_mtim.tv_nsec});
      }
    }
  } catch (const std::exception& e) {
    return Internal("cannot read cache directory " + options_.dir + ": " + e.what());
  }
  if (ec) return Internal("cannot read cache directory " + options_.dir + ": " + ec.message());
  // Most recently used first.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.access_ns > b.access_ns; });
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& f : found) {
    lru_.push_back(f.id);
    Entry& e = entries_[f.id];
    e.meta = std::move(f.meta);
    e.lru = std::prev(lru_.end());
    e.generation = ++generation_;
    bytes_ += e.meta.size;
  }
  EvictLocked("");
  return Status::Ok();
}

Result<std::shared_ptr<CachedFile>> DiskCache::OpenPinned(const std::string& id, Entry& entry) {
  auto file = std::shared_ptr<CachedFile>(new CachedFile());
  file->meta_ = entry.meta;
  std::string path = DataPath(id);
  file->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd_ < 0) return IoError("cannot open cached object", path, errno);
  if (entry.meta.size > 0) {
    file->map_ = ::mmap(nullptr, entry.meta.size, PROT_READ, MAP_SHARED, file->fd_, 0);
    if (file->map_ == MAP_FAILED) {
      file->map_ = nullptr;
      return IoError("cannot map cached object", path, errno);
    }
  }
  ++entry.pins;
  uint64_t generation = entry.generation;
  file->unpin_ = [this, id, generation] {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second.generation == generation) --it->second.pins;
  };
  return file;
}

Result<std::shared_ptr<CachedFile>> DiskCache::Lookup(const std::string& id) {
  std::shared_ptr<CachedFile> file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::shared_ptr<CachedFile>();
    auto opened = OpenPinned(id, it->second);
    if (!opened.ok()) {
      EraseLocked(it);
      return opened.status();
    }
    file = *opened;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  // The access time for the LRU order after a restart; best effort (a failure costs only order).
  ::utimensat(AT_FDCWD, MetaPath(id).c_str(), nullptr, 0);
  return file;
}

Result<DiskCache::TempFile> DiskCache::CreateTemp() {
  uint64_t n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = ++temp_counter_;
  }
  TempFile t;
  t.path = options_.dir + "/tmp/" + std::to_string(::getpid()) + "-" + std::to_string(n);
  t.fd = ::open(t.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (t.fd < 0) return IoError("cannot create temp file", t.path, errno);
  return t;
}

Status DiskCache::WriteMeta(const std::string& id, const ObjectMeta& meta) const {
  std::string path = MetaPath(id);
  std::string tmp = path + ".tmp";
  std::string text = MetaToJson(meta);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot write", tmp, errno);
  Status s = WriteAll(fd, text.data(), text.size(), tmp);
  if (::close(fd) != 0 && s.ok()) s = IoError("cannot write", tmp, errno);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = IoError("cannot write", path, errno);
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

Result<std::shared_ptr<CachedFile>> DiskCache::Insert(const std::string& id, const ObjectMeta& meta,
                                                      const std::string& temp_path) {
  if (meta.size > options_.max_bytes) {
    return TooLarge("object s3://" + meta.bucket + "/" + meta.key + " (" + std::to_string(meta.size) +
                    " bytes) is larger than the cache (" + std::to_string(options_.max_bytes) + " bytes)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto old = entries_.find(id);
  if (old != entries_.end()) EraseLocked(old);
  std::error_code ec;
  std::string data = DataPath(id);
  fs::create_directories(fs::path(data).parent_path(), ec);
  if (ec) return Internal("cannot create " + fs::path(data).parent_path().string() + ": " + ec.message());
  // Data first, meta last: a crash between them leaves a data file that Load removes.
  if (::rename(temp_path.c_str(), data.c_str()) != 0) return IoError("cannot move a download into", data, errno);
  Status written = WriteMeta(id, meta);
  if (!written.ok()) {
    ::unlink(data.c_str());
    return written;
  }
  lru_.push_front(id);
  Entry& e = entries_[id];
  e.meta = meta;
  e.lru = lru_.begin();
  e.generation = ++generation_;
  bytes_ += meta.size;
  auto file = OpenPinned(id, e);
  if (!file.ok()) {
    EraseLocked(entries_.find(id));
    return file.status();
  }
  EvictLocked(id);
  return file;
}

Status DiskCache::MarkValidated(const std::string& id, Micros validated_at) {
  // Under the lock: an Insert of a newer version of `id` must not be overwritten by this meta.
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return NotFound("object " + id + " is not cached");
  it->second.meta.validated_at = validated_at;
  return WriteMeta(id, it->second.meta);
}

void DiskCache::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it != entries_.end()) EraseLocked(it);
}

void DiskCache::EraseLocked(std::map<std::string, Entry>::iterator it) {
  ::unlink(MetaPath(it->first).c_str());  // meta first: a crash leaves data Load removes
  ::unlink(DataPath(it->first).c_str());
  bytes_ -= it->second.meta.size;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

void DiskCache::EvictLocked(const std::string& keep) {
  auto over = [&] {
    if (bytes_ > options_.max_bytes) return true;
    if (options_.min_free_bytes == 0) return false;
    Result<uint64_t> free = options_.free_bytes();
    return free.ok() && *free < options_.min_free_bytes;
  };
  auto it = lru_.end();
  while (it != lru_.begin() && over()) {
    --it;
    auto entry = entries_.find(*it);
    if (*it == keep || entry->second.pins > 0) continue;  // in use: rclone's rule, never evict open files
    uint64_t size = entry->second.meta.size;
    auto next = std::next(it);
    EraseLocked(entry);
    it = next;
    if (on_evict_) on_evict_(size);
  }
}

uint64_t DiskCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

uint64_t DiskCache::objects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace mlcost::datacache
