#include "checkpoint/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

namespace mlcost::checkpoint {
namespace {

constexpr std::string_view kTempMarker = ".mlcost-tmp-";

Status IoError(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " '" + path + "': " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) return ResourceExhausted(msg);
  if (err == ENOENT) return NotFound(msg);
  return Internal(msg);
}

std::string TempPathFor(const std::string& dest) {
  static std::atomic<uint64_t> counter{0};
  size_t slash = dest.rfind('/');
  std::string dir = slash == std::string::npos ? "" : dest.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? dest : dest.substr(slash + 1);
  return dir + "." + base + std::string(kTempMarker) + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Copies all of `in` to `out`: copy_file_range (in the kernel), or read/write where the file
// systems do not support it.
Status CopyBytes(int in, const std::string& src, int out, const std::string& temp) {
  bool kernel_copy = true;
  while (true) {
    ssize_t n = -1;
    if (kernel_copy) {
      n = ::copy_file_range(in, nullptr, out, nullptr, 64 << 20, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        kernel_copy = false;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("cannot write", temp, errno);
    } else {
      char buf[1 << 16];
      do {
        n = ::read(in, buf, sizeof(buf));
      } while (n < 0 && errno == EINTR);
      if (n < 0) return IoError("cannot read", src, errno);
      if (n > 0) RETURN_IF_ERROR(WriteAll(out, buf, static_cast<size_t>(n), temp));
    }
    if (n == 0) return Status::Ok();
  }
}

// Creates the temp file, lets `fill` write it, then fsync (unless `fill` did) + close + rename +
// fsync(dir). Removes the temp file on any failure.
template <typename Fill>
Status WriteDurably(const std::string& dest, Fill&& fill, bool fsync_in_fill = false) {
  const std::string temp = TempPathFor(dest);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", temp, errno);
  Status s = fill(fd, temp);
  if (s.ok() && !fsync_in_fill && ::fsync(fd) != 0) s = IoError("cannot fsync", temp, errno);
  if (::close(fd) != 0 && s.ok()) s = IoError("cannot close", temp, errno);
  if (s.ok() && ::rename(temp.c_str(), dest.c_str()) != 0) s = IoError("cannot rename to", dest, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return FsyncDirectory(DirOf(dest));
}

}  // namespace

bool IsDurableTempName(std::string_view file_name) {
  return !file_name.empty() && file_name.front() == '.' &&
         file_name.find(kTempMarker) != std::string_view::npos;
}

Status FsyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) return IoError("cannot fsync directory", dir, err);
  return Status::Ok();
}

Result<FileDigest> CopyFileDurably(const std::string& src, const std::string& dest) {
  int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return IoError("cannot open", src, errno);
  struct stat st {};
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    return InvalidArgument("'" + src + "' is not a regular file");
  }
  ::posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
  Result<FileDigest> digest = Internal("not hashed");
  Status s = WriteDurably(
      dest,
      [&](int out, const std::string& temp) -> Status {
        RETURN_IF_ERROR(CopyBytes(in, src, out, temp));
        // The digest is of the bytes stored: the temp file is read back (from the page cache) and
        // hashed on a second thread while this one waits for fsync, so hashing overlaps the disk.
        std::thread hasher([&] { digest = Sha256File(temp); });
        Status synced = ::fsync(out) == 0 ? Status::Ok() : IoError("cannot fsync", temp, errno);
        hasher.join();
        RETURN_IF_ERROR(synced);
        return digest.status();
      },
      /*fsync_in_fill=*/true);
  ::close(in);
  if (!s.ok()) return s;
  return digest;
}

Status WriteFileDurably(const std::string& dest, std::string_view content) {
  return WriteDurably(dest, [&](int out, const std::string& temp) {
    return WriteAll(out, content.data(), content.size(), temp);
  });
}

}  // namespace mlcost::checkpoint
