#include "stagecache/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "stagecache/durable_io.h"

namespace mlcost::stagecache {
namespace {

std::string HolderOf(int fd) {
  char buf[256];
  ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return "another process";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  // "<pid> <host> <since>"
  size_t a = s.find(' ');
  size_t b = a == std::string::npos ? a : s.find(' ', a + 1);
  if (b == std::string::npos) return "another process";
  return "pid " + s.substr(0, a) + " on host " + s.substr(a + 1, b - a - 1) + " (since unix time " + s.substr(b + 1) +
         ")";
}

void WriteHolder(int fd) {
  char host[256] = "unknown";
  ::gethostname(host, sizeof(host) - 1);
  std::string s = std::to_string(::getpid()) + " " + host + " " + std::to_string(std::time(nullptr)) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    ssize_t ignored = ::pwrite(fd, s.data(), s.size(), 0);
    (void)ignored;
  }
}

}  // namespace

Result<std::unique_ptr<FileLock>> FileLock::Lock(const std::string& path, Kind kind, bool wait,
                                                 const std::function<void(const std::string&)>& on_wait) {
  const int op = kind == Kind::kExclusive ? LOCK_EX : LOCK_SH;
  bool told = false;
  while (true) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return IoError("cannot open lock", path, errno);
    if (::flock(fd, op | LOCK_NB) != 0) {
      int err = errno;
      if (err != EWOULDBLOCK) {
        ::close(fd);
        if (err == ENOLCK || err == EOPNOTSUPP || err == EINVAL) {
          return Unavailable("cannot lock '" + path + "': this file system does not support flock");
        }
        return IoError("cannot lock", path, err);
      }
      if (!wait) {
        ::close(fd);
        return std::unique_ptr<FileLock>();
      }
      if (on_wait && !told) {
        on_wait(HolderOf(fd));
        told = true;
      }
      while (::flock(fd, op) != 0) {
        if (errno != EINTR) {
          int e = errno;
          ::close(fd);
          return IoError("cannot lock", path, e);
        }
      }
    }
    // The holder we waited for may have removed the file (gc): lock the current one instead.
    struct stat a {}, b {};
    if (::fstat(fd, &a) != 0 || ::stat(path.c_str(), &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
      ::close(fd);
      continue;
    }
    if (kind == Kind::kExclusive) WriteHolder(fd);
    return std::unique_ptr<FileLock>(new FileLock(path, fd));
  }
}

Result<std::unique_ptr<FileLock>> FileLock::Acquire(const std::string& path, Kind kind,
                                                    const std::function<void(const std::string&)>& on_wait) {
  return Lock(path, kind, /*wait=*/true, on_wait);
}

Result<std::unique_ptr<FileLock>> FileLock::TryAcquire(const std::string& path, Kind kind) {
  return Lock(path, kind, /*wait=*/false, {});
}

FileLock::~FileLock() { ::close(fd_); }

void FileLock::RemoveFile() { ::unlink(path_.c_str()); }

}  // namespace mlcost::stagecache
