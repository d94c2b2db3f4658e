#include "stagecache/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "stagecache/durable_io.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {

Status AccessLog::Record(const std::string& key, Micros when) const {
  std::string path = layout_.AccessLogPath();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open", path, errno);
  std::string line = std::to_string(when) + " " + key + "\n";
  ssize_t n = ::write(fd, line.data(), line.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) return IoError("cannot append to", path, n < 0 ? err : EIO);
  return Status::Ok();
}

Result<std::map<std::string, Micros>> AccessLog::LastAccess() const {
  std::map<std::string, Micros> out;
  auto text = ReadSmallFile(layout_.AccessLogPath());
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return out;
    return text.status();
  }
  size_t pos = 0;
  const std::string& t = *text;
  while (pos < t.size()) {
    size_t end = t.find('\n', pos);
    if (end == std::string::npos) break;
    size_t space = t.find(' ', pos);
    if (space != std::string::npos && space < end) {
      char* q = nullptr;
      long long when = std::strtoll(t.c_str() + pos, &q, 10);
      std::string key = t.substr(space + 1, end - space - 1);
      if (q == t.c_str() + space && IsHexDigest(key)) {
        Micros& m = out[key];
        if (when > m) m = when;
      }
    }
    pos = end + 1;
  }
  return out;
}

Status AccessLog::Rewrite(const std::map<std::string, Micros>& last) const {
  std::string out;
  for (const auto& [key, when] : last) out += std::to_string(when) + " " + key + "\n";
  return WriteFileAtomically(layout_.TmpDir(), layout_.AccessLogPath(), out);
}

}  // namespace mlcost::stagecache
