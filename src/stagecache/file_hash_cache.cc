#include "stagecache/file_hash_cache.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "stagecache/durable_io.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {
namespace {

constexpr std::string_view kHeader = "mlcost-filehashes/1";

}  // namespace

void FileHashCache::ParseInto(const std::string& text) {
  size_t pos = text.find('\n');
  if (pos == std::string::npos || std::string_view(text).substr(0, pos) != kHeader) return;
  ++pos;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;  // a torn last line
    const char* p = text.data() + pos;
    char* q = nullptr;
    FileId id;
    id.dev = std::strtoull(p, &q, 10);
    id.ino = std::strtoull(q, &q, 10);
    id.size = std::strtoull(q, &q, 10);
    id.mtime_ns = std::strtoll(q, &q, 10);
    while (*q == ' ') ++q;
    std::string sha(q, std::min<size_t>(64, text.data() + end - q));
    q += sha.size();
    int64_t used = std::strtoll(q, &q, 10);
    if (q == text.data() + end && IsHexDigest(sha)) {
      Value& v = map_[id];
      if (used >= v.used) v = Value{std::move(sha), used};
    }
    pos = end + 1;
  }
}

void FileHashCache::Load(const std::string& path) {
  auto text = ReadSmallFile(path);
  if (text.ok()) ParseInto(*text);
}

std::optional<std::string> FileHashCache::Lookup(const FileId& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(id);
  if (it == map_.end()) return std::nullopt;
  return it->second.sha256;
}

void FileHashCache::Insert(const FileId& id, const std::string& sha256, int64_t now_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Value& v = map_[id];
  if (v.sha256 == sha256 && v.used >= now_seconds - 3600) return;  // refresh at most hourly
  v = Value{sha256, now_seconds};
  dirty_ = true;
}

size_t FileHashCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

Status FileHashCache::Save(const std::string& tmp_dir, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dirty_) return Status::Ok();
  {
    // Merge what another process saved since we loaded (ours win on conflicts by recency).
    FileHashCache disk;
    disk.Load(path);
    for (auto& [id, v] : disk.map_) {
      auto it = map_.find(id);
      if (it == map_.end() || it->second.used < v.used) map_[id] = std::move(v);
    }
  }
  std::vector<std::pair<const FileId*, const Value*>> rows;
  rows.reserve(map_.size());
  for (const auto& [id, v] : map_) rows.emplace_back(&id, &v);
  if (rows.size() > kMaxEntries) {
    std::nth_element(rows.begin(), rows.begin() + kMaxEntries, rows.end(),
                     [](const auto& a, const auto& b) { return a.second->used > b.second->used; });
    rows.resize(kMaxEntries);
  }
  std::string out(kHeader);
  out += '\n';
  out.reserve(rows.size() * 120);
  for (const auto& [id, v] : rows) {
    out += std::to_string(id->dev) + ' ' + std::to_string(id->ino) + ' ' + std::to_string(id->size) + ' ' +
           std::to_string(id->mtime_ns) + ' ' + v->sha256 + ' ' + std::to_string(v->used) + '\n';
  }
  RETURN_IF_ERROR(WriteFileAtomically(tmp_dir, path, out));
  dirty_ = false;
  return Status::Ok();
}

}  // namespace mlcost::stagecache
