#include "stagecache/durable_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <vector>

namespace mlcost::stagecache {

std::string TempPath(const std::string& tmp_dir, std::string_view tag) {
  static std::atomic<uint64_t> counter{0};
  return tmp_dir + "/" + std::string(tag) + "." + std::to_string(::getpid()) + "." +
         std::to_string(counter.fetch_add(1)) + ".tmp";
}

Status WriteFileAtomically(const std::string& tmp_dir, const std::string& dest, std::string_view content) {
  return ReplaceFileAtomically(TempPath(tmp_dir, "w"), dest, content);
}

Result<FileDigest> CopyAndHash(const std::string& src, const std::string& temp, unsigned mode, bool sync) {
  ASSIGN_OR_RETURN(int in, OpenForSequentialRead(src));
  int out = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (out < 0) {
    int err = errno;
    ::close(in);
    return IoError("cannot create", temp, err);
  }
  std::vector<char> buf(1 << 20);
  Sha256 hasher;
  FileDigest digest;
  Status s;
  while (true) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s = IoError("cannot read", src, errno);
      break;
    }
    if (n == 0) break;
    hasher.Update(buf.data(), static_cast<size_t>(n));
    digest.size += static_cast<uint64_t>(n);
    s = WriteAll(out, buf.data(), static_cast<size_t>(n), temp);
    if (!s.ok()) break;
  }
  ::close(in);
  if (s.ok() && sync && ::fsync(out) != 0) s = IoError("cannot fsync", temp, errno);
  if (::close(out) != 0 && s.ok()) s = IoError("cannot close", temp, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  digest.sha256 = hasher.FinalHex();
  return digest;
}

Result<std::string> ReadSmallFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", path, errno);
  std::string out;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return IoError("cannot read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create directory", dir, ec.value());
  return Status::Ok();
}

}  // namespace mlcost::stagecache
