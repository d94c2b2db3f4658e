#include "checkpoint/local_checkpoint_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "checkpoint/durable_file.h"

namespace mlcost::checkpoint {
namespace {

namespace fs = std::filesystem;

Status FsError(const std::string& what, const std::string& path, const std::error_code& ec) {
  return Internal(what + " '" + path + "': " + ec.message());
}

}  // namespace

LocalCheckpointStore::LocalCheckpointStore(std::string root, const StoreOptions& options)
    : CheckpointStore(options), root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

Result<std::vector<CheckpointStore::NameInfo>> LocalCheckpointStore::ListNames() {
  std::vector<NameInfo> out;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return out;
  fs::directory_iterator it(root_, ec);
  if (ec) return FsError("cannot list", root_, ec);
  for (const fs::directory_entry& entry : it) {
    std::string name = entry.path().filename().string();
    if (!ValidateCheckpointName(name).ok()) continue;
    struct stat st {};
    std::string manifest = NameDir(name) + "/" + std::string(kManifestFileName);
    if (::stat(manifest.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back(
        {name, static_cast<Micros>(st.st_mtim.tv_sec) * kMicrosPerSecond + st.st_mtim.tv_nsec / 1000});
  }
  return out;
}

Result<std::string> LocalCheckpointStore::ReadManifest(const std::string& name) {
  std::string path = NameDir(name) + "/" + std::string(kManifestFileName);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return NotFound("no '" + path + "'");
    return Internal("cannot read '" + path + "': " + std::strerror(err));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<std::map<std::string, uint64_t>> LocalCheckpointStore::ListData(const std::string& name) {
  std::map<std::string, uint64_t> out;
  const std::string dir = NameDir(name) + "/data";
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return FsError("cannot list", dir, ec);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return FsError("cannot list", dir, ec);
    if (!it->is_regular_file(ec) || IsDurableTempName(it->path().filename().string())) continue;
    out[fs::relative(it->path(), dir).generic_string()] = it->file_size(ec);
  }
  return out;
}

Result<FileDigest> LocalCheckpointStore::DigestData(const std::string& name, const std::string& path) {
  return Sha256File(DataPath(name, path));
}

Result<ManifestFile> LocalCheckpointStore::PutData(const std::string& name, const SaveFile& file) {
  const std::string dest = DataPath(name, file.path);
  std::error_code ec;
  fs::create_directories(fs::path(dest).parent_path(), ec);
  if (ec) {
    if (ec.value() == ENOSPC || ec.value() == EDQUOT) {
      return ResourceExhausted("cannot create '" + fs::path(dest).parent_path().string() +
                               "': " + ec.message());
    }
    return FsError("cannot create", fs::path(dest).parent_path().string(), ec);
  }
  ASSIGN_OR_RETURN(FileDigest digest, CopyFileDurably(file.local_path, dest));
  return ManifestFile{file.path, digest.size, digest.sha256};
}

Status LocalCheckpointStore::PutManifest(const std::string& name, const std::string& json) {
  // Every directory entry under <name>/ must be durable before the manifest makes it visible.
  // Files' own directories were synced after each rename; what is left are the entries of
  // subdirectories (in their parents), of data/ (in <name>/) and of <name>/ (in the root).
  std::error_code ec;
  const std::string data = NameDir(name) + "/data";
  for (fs::recursive_directory_iterator it(data, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) RETURN_IF_ERROR(FsyncDirectory(it->path().parent_path().string()));
  }
  RETURN_IF_ERROR(FsyncDirectory(NameDir(name)));
  RETURN_IF_ERROR(FsyncDirectory(root_));
  return WriteFileDurably(NameDir(name) + "/" + std::string(kManifestFileName), json);
}

Status LocalCheckpointStore::RemoveManifest(const std::string& name) {
  std::string path = NameDir(name) + "/" + std::string(kManifestFileName);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Internal("cannot delete '" + path + "': " + std::strerror(errno));
  }
  return FsyncDirectory(NameDir(name));
}

Status LocalCheckpointStore::RemoveData(const std::string& name) {
  std::error_code ec;
  fs::remove_all(NameDir(name) + "/data", ec);
  if (ec) return FsError("cannot delete", NameDir(name) + "/data", ec);
  // The name's directory goes too unless something else (a manifest) is still in it.
  if (::rmdir(NameDir(name).c_str()) != 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST) {
    return Internal("cannot delete '" + NameDir(name) + "': " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> LocalCheckpointStore::FetchFiles(const Manifest& manifest,
                                                                  const std::string& /*local_dir*/) {
  std::vector<std::string> out;
  for (const ManifestFile& f : manifest.files) out.push_back(DataPath(manifest.name, f.path));
  return out;
}

}  // namespace mlcost::checkpoint
