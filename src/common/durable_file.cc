#include "common/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mlcost {

Status IoError(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " '" + path + "': " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) return ResourceExhausted(msg);
  if (err == EACCES || err == EPERM || err == EROFS) return Status(StatusCode::kPermissionDenied, msg);
  if (err == ENOENT) return NotFound(msg);
  return Internal(msg);
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

Result<int> OpenForSequentialRead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgument("'" + path + "' is not a regular file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return fd;
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

Status ReplaceFileVia(const std::string& temp, const std::string& dest, const TempFileFill& fill, bool fill_fsyncs) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", temp, errno);
  Status s = fill(fd, temp);
  if (s.ok() && !fill_fsyncs && ::fsync(fd) != 0) s = IoError("cannot fsync", temp, errno);
  if (::close(fd) != 0 && s.ok()) s = IoError("cannot close", temp, errno);
  if (s.ok() && ::rename(temp.c_str(), dest.c_str()) != 0) s = IoError("cannot rename to", dest, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return FsyncDirectory(DirOf(dest));
}

Status ReplaceFileAtomically(const std::string& temp, const std::string& dest, std::string_view content) {
  return ReplaceFileVia(temp, dest, [&](int fd, const std::string& path) {
    return WriteAll(fd, content.data(), content.size(), path);
  });
}

}  // namespace mlcost
