#include "stagecache/blob_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>

#include "stagecache/durable_io.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {
namespace {

namespace fs = std::filesystem;

// ".<name>.mlcost-tmp-<pid>-<n>" beside `dest`.
std::string TempBeside(const std::string& dest) {
  static std::atomic<uint64_t> counter{0};
  fs::path p(dest);
  return (p.parent_path() / ("." + p.filename().string() + ".mlcost-tmp-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1))))
      .string();
}

}  // namespace

Result<FileDigest> BlobStore::Put(const std::string& src) const {
  std::string temp = TempPath(layout_.TmpDir(), "blob");
  ASSIGN_OR_RETURN(FileDigest d, CopyAndHash(src, temp, 0444, /*sync=*/true));
  Status s = Adopt(temp, d.sha256);
  if (!s.ok()) return s;
  return d;
}

Status BlobStore::Adopt(const std::string& temp, const std::string& sha256) const {
  std::string dest = layout_.BlobPath(sha256);
  struct stat st {};
  if (::stat(dest.c_str(), &st) == 0) {
    ::unlink(temp.c_str());
    return Status::Ok();
  }
  std::string dir = fs::path(dest).parent_path().string();
  Status s = MakeDirs(dir);
  if (s.ok() && ::rename(temp.c_str(), dest.c_str()) != 0) s = IoError("cannot rename to", dest, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return FsyncDirectory(dir);
}

bool BlobStore::Has(const std::string& sha256, uint64_t size) const {
  struct stat st {};
  return ::stat(layout_.BlobPath(sha256).c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         static_cast<uint64_t>(st.st_size) == size;
}

Status BlobStore::Restore(const std::string& sha256, uint64_t size, const std::string& dest, RestoreMode mode,
                          bool executable) const {
  std::string blob = layout_.BlobPath(sha256);
  std::string parent = fs::path(dest).parent_path().string();
  if (!parent.empty()) RETURN_IF_ERROR(MakeDirs(parent));
  std::string temp = TempBeside(dest);
  if (mode == RestoreMode::kHardlink) {
    if (::link(blob.c_str(), temp.c_str()) == 0) {
      if (::rename(temp.c_str(), dest.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        return IoError("cannot rename to", dest, err);
      }
      return Status::Ok();
    }
    if (errno == ENOENT) return IoError("cannot link blob", blob, errno);
    // EXDEV (another file system), EPERM, EMLINK: copy instead.
  }
  ASSIGN_OR_RETURN(FileDigest d, CopyAndHash(blob, temp, executable ? 0755 : 0644, /*sync=*/false));
  if (d.sha256 != sha256 || d.size != size) {
    ::unlink(temp.c_str());
    return Internal("blob " + sha256 + " is corrupted (its content hashes to " + d.sha256 + ")");
  }
  ::chmod(temp.c_str(), executable ? 0755 : 0644);  // the umask may have narrowed it
  if (::rename(temp.c_str(), dest.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return IoError("cannot rename to", dest, err);
  }
  return Status::Ok();
}

Status BlobStore::Verify(const std::string& sha256) const {
  ASSIGN_OR_RETURN(FileDigest d, Sha256File(layout_.BlobPath(sha256)));
  if (d.sha256 != sha256) return Internal("blob " + sha256 + " is corrupted (its content hashes to " + d.sha256 + ")");
  return Status::Ok();
}

Status BlobStore::Remove(const std::string& sha256) const {
  std::string path = layout_.BlobPath(sha256);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("cannot remove", path, errno);
  return Status::Ok();
}

Result<std::vector<BlobInfo>> BlobStore::List() const {
  std::vector<BlobInfo> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(layout_.BlobsDir(), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!IsHexDigest(name)) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back({name, static_cast<uint64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec)});
  }
  if (ec && ec != std::errc::no_such_file_or_directory) return IoError("cannot list", layout_.BlobsDir(), ec.value());
  return out;
}

}  // namespace mlcost::stagecache
