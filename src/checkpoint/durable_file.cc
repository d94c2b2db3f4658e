#include "checkpoint/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

namespace mlcost::checkpoint {
namespace {

constexpr std::string_view kTempMarker = ".mlcost-tmp-";

std::string TempPathFor(const std::string& dest) {
  static std::atomic<uint64_t> counter{0};
  size_t slash = dest.rfind('/');
  std::string dir = slash == std::string::npos ? "" : dest.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? dest : dest.substr(slash + 1);
  return dir + "." + base + std::string(kTempMarker) + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
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

}  // namespace

bool IsDurableTempName(std::string_view file_name) {
  return !file_name.empty() && file_name.front() == '.' &&
         file_name.find(kTempMarker) != std::string_view::npos;
}

Result<FileDigest> CopyFileDurably(const std::string& src, const std::string& dest) {
  ASSIGN_OR_RETURN(int in, OpenForSequentialRead(src));
  Result<FileDigest> digest = Internal("not hashed");
  Status s = ReplaceFileVia(
      TempPathFor(dest), dest,
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
      /*fill_fsyncs=*/true);
  ::close(in);
  if (!s.ok()) return s;
  return digest;
}

Status WriteFileDurably(const std::string& dest, std::string_view content) {
  return ReplaceFileAtomically(TempPathFor(dest), dest, content);
}

}  // namespace mlcost::checkpoint
