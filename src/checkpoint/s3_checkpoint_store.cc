#include "checkpoint/s3_checkpoint_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "checkpoint/durable_file.h"

namespace mlcost::checkpoint {
namespace {

namespace fs = std::filesystem;

}  // namespace

S3CheckpointStore::S3CheckpointStore(std::unique_ptr<s3::S3Client> client, std::string bucket,
                                     std::string prefix, const StoreOptions& options)
    : CheckpointStore(options),
      client_(std::move(client)),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)) {}

std::string S3CheckpointStore::uri() const {
  return "s3://" + bucket_ + (prefix_.empty() ? "" : "/" + prefix_);
}

Result<std::vector<CheckpointStore::NameInfo>> S3CheckpointStore::ListNames() {
  const std::string base = Key("");
  ASSIGN_OR_RETURN(s3::ListResult list, client_->ListObjectsV2(bucket_, base));
  std::vector<NameInfo> out;
  const std::string suffix = "/" + std::string(kManifestFileName);
  for (const s3::ObjectInfo& o : list.objects) {
    std::string rest = o.key.substr(base.size());
    if (rest.size() <= suffix.size() || rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::string name = rest.substr(0, rest.size() - suffix.size());
    if (!ValidateCheckpointName(name).ok()) continue;
    out.push_back({name, o.last_modified});
  }
  return out;
}

Result<std::string> S3CheckpointStore::ReadManifest(const std::string& name) {
  return client_->GetObject(bucket_, Key(name + "/" + std::string(kManifestFileName)));
}

Result<std::map<std::string, uint64_t>> S3CheckpointStore::ListData(const std::string& name) {
  const std::string base = Key(name + "/data/");
  ASSIGN_OR_RETURN(s3::ListResult list, client_->ListObjectsV2(bucket_, base));
  std::map<std::string, uint64_t> out;
  for (const s3::ObjectInfo& o : list.objects) out[o.key.substr(base.size())] = o.size;
  return out;
}

Result<FileDigest> S3CheckpointStore::DigestData(const std::string& name, const std::string& path) {
  Sha256 hash;
  FileDigest d;
  RETURN_IF_ERROR(
      client_->GetObjectStream(bucket_, Key(name + "/data/" + path), [&](const char* data, size_t size) {
        hash.Update(data, size);
        d.size += size;
        return true;
      }));
  d.sha256 = hash.FinalHex();
  return d;
}

Result<ManifestFile> S3CheckpointStore::PutData(const std::string& name, const SaveFile& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file.local_path, ec)) {
    if (!fs::exists(file.local_path, ec)) return NotFound("no file '" + file.local_path + "'");
    return InvalidArgument("'" + file.local_path + "' is not a regular file");
  }
  ASSIGN_OR_RETURN(FileDigest digest, Sha256File(file.local_path));
  RETURN_IF_ERROR(
      client_->PutObjectFromFile(bucket_, Key(name + "/data/" + file.path), file.local_path, digest.sha256));
  return ManifestFile{file.path, digest.size, digest.sha256};
}

Status S3CheckpointStore::PutManifest(const std::string& name, const std::string& json) {
  return client_->PutObject(bucket_, Key(name + "/" + std::string(kManifestFileName)), json);
}

Status S3CheckpointStore::RemoveManifest(const std::string& name) {
  return client_->DeleteObject(bucket_, Key(name + "/" + std::string(kManifestFileName)));
}

Status S3CheckpointStore::RemoveData(const std::string& name) {
  ASSIGN_OR_RETURN(s3::ListResult list, client_->ListObjectsV2(bucket_, Key(name + "/data/")));
  for (const s3::ObjectInfo& o : list.objects) RETURN_IF_ERROR(client_->DeleteObject(bucket_, o.key));
  return Status::Ok();
}

Result<std::vector<std::string>> S3CheckpointStore::FetchFiles(const Manifest& manifest,
                                                               const std::string& local_dir) {
  std::vector<std::string> out;
  for (const ManifestFile& f : manifest.files) {
    const fs::path dest = fs::path(local_dir) / f.path;
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return Internal("cannot create '" + dest.parent_path().string() + "': " + ec.message());
    const std::string temp = (dest.parent_path() / ("." + dest.filename().string() + ".mlcost-tmp-fetch-" +
                                                    std::to_string(::getpid())))
                                 .string();
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Internal("cannot create '" + temp + "': " + std::strerror(errno));
    Sha256 hash;
    uint64_t size = 0;
    std::string write_error;
    Status s = client_->GetObjectStream(
        bucket_, Key(manifest.name + "/data/" + f.path), [&](const char* data, size_t n) {
          hash.Update(data, n);
          size += n;
          while (n > 0) {
            ssize_t w = ::write(fd, data, n);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
              write_error = "cannot write '" + temp + "': " + std::strerror(errno);
              return false;
            }
            data += w;
            n -= static_cast<size_t>(w);
          }
          return true;
        });
    if (::close(fd) != 0 && s.ok()) write_error = "cannot write '" + temp + "': " + std::strerror(errno);
    if (!write_error.empty())
      s = (errno == ENOSPC || errno == EFBIG) ? ResourceExhausted(write_error) : Internal(write_error);
    if (s.ok() && size != f.size) {
      s = Internal("file '" + f.path + "' is " + std::to_string(size) + " bytes, the manifest says " +
                   std::to_string(f.size));
    }
    if (s.ok()) {
      std::string sha = hash.FinalHex();
      if (sha != f.sha256)
        s = Internal("file '" + f.path + "': sha256 is " + sha + ", the manifest says " + f.sha256);
    }
    if (s.ok() && ::rename(temp.c_str(), dest.c_str()) != 0) {
      s = Internal("cannot rename '" + temp + "' to '" + dest.string() + "': " + std::strerror(errno));
    }
    if (!s.ok()) {
      // Nothing of a checkpoint that fails stays behind, not even its files fetched before.
      ::unlink(temp.c_str());
      for (const std::string& fetched : out) ::unlink(fetched.c_str());
      return s;
    }
    out.push_back(dest.string());
  }
  return out;
}

}  // namespace mlcost::checkpoint
