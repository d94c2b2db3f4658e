#include "stagecache/remote_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include "common/sha256.h"
#include "stagecache/blob_store.h"
#include "stagecache/durable_io.h"
#include "stagecache/entry_index.h"
#include "stagecache/file_lock.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {

Result<std::unique_ptr<RemoteCache>> RemoteCache::Open(const std::string& uri, const std::string& endpoint,
                                                       const CacheLayout& layout) {
  if (uri.rfind("s3://", 0) != 0) return InvalidArgument("remote '" + uri + "': expected s3://BUCKET/PREFIX");
  std::string rest = uri.substr(5);
  size_t slash = rest.find('/');
  std::string bucket = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (bucket.empty()) return InvalidArgument("remote '" + uri + "': no bucket (expected s3://BUCKET/PREFIX)");
  if (!prefix.empty()) {
    ASSIGN_OR_RETURN(prefix, CheckRelativePath(prefix, "remote prefix"));
    prefix += '/';
  }
  ASSIGN_OR_RETURN(s3::S3Config config, s3::S3Config::FromEnvironment(endpoint));
  return std::unique_ptr<RemoteCache>(
      new RemoteCache(std::make_unique<s3::S3Client>(std::move(config)), bucket, prefix, layout));
}

Result<std::vector<std::string>> RemoteCache::ListKeys() {
  ASSIGN_OR_RETURN(s3::ListResult list, client_->ListObjectsV2(bucket_, prefix_ + "entries/"));
  std::vector<std::string> keys;
  const size_t skip = prefix_.size() + 8;
  for (const auto& o : list.objects) {
    if (o.key.size() != skip + 69 || o.key.compare(skip + 64, 5, ".json") != 0) continue;
    std::string key = o.key.substr(skip, 64);
    if (IsHexDigest(key)) keys.push_back(key);
  }
  return keys;
}

Status RemoteCache::PushOne(const std::string& key, TransferReport* report) {
  EntryIndex index(layout_);
  ASSIGN_OR_RETURN(std::string raw, index.LoadRaw(key));
  ASSIGN_OR_RETURN(Entry entry, ParseEntry(raw, key));
  auto head = client_->HeadObject(bucket_, EntryKey(key));
  if (head.ok()) {
    report->skipped.push_back(key);
    return Status::Ok();
  }
  if (head.status().code() != StatusCode::kNotFound) return head.status();
  for (const OutputFile& o : entry.outputs) {
    auto blob_head = client_->HeadObject(bucket_, BlobKey(o.sha256));
    if (blob_head.ok() && blob_head->size == o.size) continue;
    RETURN_IF_ERROR(client_->PutObjectFromFile(bucket_, BlobKey(o.sha256), layout_.BlobPath(o.sha256), o.sha256));
    ++report->blobs;
    report->bytes += o.size;
  }
  RETURN_IF_ERROR(client_->PutObject(bucket_, EntryKey(key), raw));
  report->entries.push_back(key);
  return Status::Ok();
}

Status RemoteCache::PullOne(const std::string& key, TransferReport* report) {
  if (!IsHexDigest(key)) return InvalidArgument("'" + key + "' is not a stage key (64 hex characters)");
  EntryIndex index(layout_);
  BlobStore blobs(layout_);
  if (index.Load(key).ok()) {
    report->skipped.push_back(key);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(std::string raw, client_->GetObject(bucket_, EntryKey(key)));
  auto parsed = ParseEntry(raw, key);
  if (!parsed.ok()) return InvalidArgument("remote " + parsed.status().message());
  Entry entry = std::move(parsed).value();
  RETURN_IF_ERROR(layout_.Create());
  ASSIGN_OR_RETURN(auto gc_lock, FileLock::Acquire(layout_.GcLockPath(), FileLock::Kind::kShared));
  for (const OutputFile& o : entry.outputs) {
    if (blobs.Has(o.sha256, o.size)) continue;
    std::string temp = TempPath(layout_.TmpDir(), "pull");
    Status got = client_->GetObjectToFile(bucket_, BlobKey(o.sha256), temp);
    if (!got.ok()) {
      ::unlink(temp.c_str());
      return got;
    }
    auto digest = Sha256File(temp);
    if (!digest.ok() || digest->sha256 != o.sha256 || digest->size != o.size) {
      ::unlink(temp.c_str());
      return InvalidArgument("remote blob " + o.sha256 + " of entry " + key + " does not match its digest" +
                             (digest.ok() ? " (content hashes to " + digest->sha256 + ")" : ""));
    }
    ::chmod(temp.c_str(), 0444);
    RETURN_IF_ERROR(blobs.Adopt(temp, o.sha256));
    ++report->blobs;
    report->bytes += o.size;
  }
  RETURN_IF_ERROR(index.Publish(entry));
  report->entries.push_back(key);
  return Status::Ok();
}

Result<TransferReport> RemoteCache::Push(const std::vector<std::string>& keys) {
  TransferReport report;
  std::vector<std::string> todo = keys;
  if (todo.empty()) {
    ASSIGN_OR_RETURN(todo, EntryIndex(layout_).ListKeys());
  }
  for (const std::string& key : todo) {
    if (Status s = PushOne(key, &report); !s.ok()) report.failed.push_back(key + ": " + s.message());
  }
  return report;
}

Result<TransferReport> RemoteCache::Pull(const std::vector<std::string>& keys) {
  TransferReport report;
  std::vector<std::string> todo = keys;
  if (todo.empty()) {
    ASSIGN_OR_RETURN(todo, ListKeys());
  }
  for (const std::string& key : todo) {
    if (Status s = PullOne(key, &report); !s.ok()) report.failed.push_back(key + ": " + s.message());
  }
  return report;
}

}  // namespace mlcost::stagecache
