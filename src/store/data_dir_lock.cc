#include "store/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace mlcost::store {
namespace {

void WriteHolder(int fd, const std::string& holder) {
  std::string text = "pid " + std::to_string(getpid()) + ": " + holder + "\n";
  if (ftruncate(fd, 0) != 0) return;
  if (pwrite(fd, text.data(), text.size(), 0) < 0) return;
  fsync(fd);
}

std::string ReadHolder(int fd) {
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "an unknown process";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::string& dir, const std::string& holder) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Internal("cannot create data directory " + dir + ": " + ec.message());
  std::string path = dir + "/mlcost.lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string who = ReadHolder(fd);
    close(fd);
    if (err == EWOULDBLOCK) {
      return Conflict("data directory " + dir + " is in use by " + who +
                      "; stop it, or use --server to talk to it");
    }
    return Internal("cannot lock " + path + ": " + std::strerror(err));
  }
  WriteHolder(fd, holder);
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() {
  if (ftruncate(fd_, 0) != 0) {
    // Nothing to do: the lock itself is released by close().
  }
  close(fd_);
}

void DataDirLock::UpdateHolder(const std::string& holder) { WriteHolder(fd_, holder); }

}  // namespace mlcost::store
