#include "checkpoint/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cerrno>
#include <cstring>
#include <algorithm>
#include <memory>
#include <vector>

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

// Hashes chunks on a background thread, in submission order, so hashing overlaps the writes.
// The submitter keeps each chunk's memory alive until WaitHashed says it was consumed.
class BackgroundSha256 {
 public:
  BackgroundSha256() : thread_([this] { Loop(); }) {}
  ~BackgroundSha256() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Submit(const char* data, size_t size) {
    std::lock_guard<std::mutex> l(mu_);
    queue_.emplace_back(data, size);
    ++submitted_;
    cv_.notify_all();
  }
  // Blocks until the first `count` chunks are hashed.
  void WaitHashed(uint64_t count) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return hashed_ >= count; });
  }
  std::string Finish() {
    WaitHashed(submitted_);
    return hash_.FinalHex();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    while (true) {
      cv_.wait(l, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto [data, size] = queue_.front();
      l.unlock();
      hash_.Update(data, size);
      l.lock();
      queue_.pop_front();
      ++hashed_;
      cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<const char*, size_t>> queue_;  // GUARDED_BY(mu_)
  uint64_t submitted_ = 0;                             // GUARDED_BY(mu_)
  uint64_t hashed_ = 0;                                // GUARDED_BY(mu_)
  bool stop_ = false;                                  // GUARDED_BY(mu_)
  Sha256 hash_;                                        // used by the thread only until Finish
  std::thread thread_;
};

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

// Creates the temp file, lets `fill` write it, then fsync + close + rename + fsync(dir). Removes
// the temp file on any failure.
template <typename Fill>
Status WriteDurably(const std::string& dest, Fill&& fill) {
  const std::string temp = TempPathFor(dest);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", temp, errno);
  Status s = fill(fd, temp);
  if (s.ok() && ::fsync(fd) != 0) s = IoError("cannot fsync", temp, errno);
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
  return !file_name.empty() && file_name.front() == '.' && file_name.find(kTempMarker) != std::string_view::npos;
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
  FileDigest digest;
  Status s = WriteDurably(dest, [&](int out, const std::string& temp) -> Status {
    // A ring of buffers: chunk k is read into slot k % kSlots and hashed on the background thread
    // while it is written here; a slot is reused only after its previous chunk was hashed. (No
    // mmap: a source truncated meanwhile would SIGBUS the supervisor.)
    constexpr size_t kChunk = 4 << 20;
    constexpr uint64_t kSlots = 3;
    std::unique_ptr<char[]> ring(new char[kChunk * kSlots]);
    BackgroundSha256 hash;
    for (uint64_t k = 0;; ++k) {
      if (k >= kSlots) hash.WaitHashed(k - kSlots + 1);
      char* buf = ring.get() + (k % kSlots) * kChunk;
      ssize_t n;
      do {
        n = ::read(in, buf, kChunk);
      } while (n < 0 && errno == EINTR);
      if (n < 0) return IoError("cannot read", src, errno);
      if (n == 0) break;
      hash.Submit(buf, static_cast<size_t>(n));
      RETURN_IF_ERROR(WriteAll(out, buf, static_cast<size_t>(n), temp));
      digest.size += static_cast<uint64_t>(n);
    }
    digest.sha256 = hash.Finish();
    return Status::Ok();
  });
  ::close(in);
  if (!s.ok()) return s;
  return digest;
}

Status WriteFileDurably(const std::string& dest, std::string_view content) {
  return WriteDurably(dest, [&](int out, const std::string& temp) { return WriteAll(out, content.data(), content.size(), temp); });
}

}  // namespace mlcost::checkpoint
