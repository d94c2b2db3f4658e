#include "agent/event_spool.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mlcost::agent {
namespace {

constexpr char kLogName[] = "events.jsonl";
constexpr char kCursorName[] = "delivered";

Status Errno(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

// The cursor file's value; 0 when there is none.
Result<uint64_t> ReadCursor(const std::string& path) {
  std::ifstream in(path);
  if (!in) return uint64_t{0};
  std::string text;
  std::getline(in, text);
  if (text.empty()) return uint64_t{0};
  char* end = nullptr;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0') return Internal("spool cursor " + path + " is not a number: '" + text + "'");
  return static_cast<uint64_t>(value);
}

// Writes `value` to `path` through a temp file, fsync and rename.
Status WriteCursor(const std::string& path, uint64_t value) {
  std::string temp = path + ".tmp";
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot write", temp);
  std::string text = std::to_string(value) + "\n";
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  int err = errno;
  close(fd);
  errno = err;
  if (!ok) return Errno("cannot write", temp);
  if (rename(temp.c_str(), path.c_str()) != 0) return Errno("cannot replace", path);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<EventSpool>> EventSpool::Open(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Internal("cannot create spool directory " + dir + ": " + error.message());
  std::unique_ptr<EventSpool> spool(new EventSpool(dir));
  std::string lock_path = dir + "/lock";
  spool->lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (spool->lock_fd_ < 0) return Errno("cannot open", lock_path);
  if (flock(spool->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Conflict("spool " + dir + " is in use by another mlcost process");
    return Errno("cannot lock", lock_path);
  }
  std::string log_path = dir + "/" + kLogName;
  ASSIGN_OR_RETURN(uint64_t delivered, ReadCursor(dir + "/" + kCursorName));
  std::ifstream in(log_path);
  std::string line;
  int line_no = 0;
  uint64_t last_seq = delivered;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(std::move(line));
  for (size_t i = 0; i < lines.size(); ++i) {
    ++line_no;
    nlohmann::json event = nlohmann::json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    bool valid = event.is_object() && event.contains("seq") && event["seq"].is_number_unsigned() &&
                 event.contains("method") && event["method"].is_string() && event.contains("path") &&
                 event["path"].is_string() && event.contains("body");
    if (!valid) {
      if (i + 1 == lines.size()) {
        std::fprintf(stderr, "mlcost: warning: spool %s line %d is incomplete (a crash mid-write); skipped\n",
                     log_path.c_str(), line_no);
        break;
      }
      return Internal("spool " + log_path + " line " + std::to_string(line_no) + " is not an event");
    }
    SpoolEvent e;
    e.seq = event["seq"].get<uint64_t>();
    e.method = event["method"].get<std::string>();
    e.path = event["path"].get<std::string>();
    e.body = std::move(event["body"]);
    last_seq = std::max(last_seq, e.seq);
    if (e.seq > delivered) spool->pending_.push_back(std::move(e));
  }
  spool->next_seq_ = last_seq + 1;
  if (spool->pending_.empty() && lines.size() > 0) {
    // Everything delivered: start over with empty files (the cursor keeps counting).
    std::filesystem::remove(log_path, error);
  }
  return spool;
}

EventSpool::~EventSpool() {
  if (log_ != nullptr) std::fclose(log_);
  if (lock_fd_ >= 0) close(lock_fd_);  // releases the flock
}

Status EventSpool::OpenLogLocked() {
  if (log_ != nullptr) return Status::Ok();
  std::string path = dir_ + "/" + kLogName;
  log_ = std::fopen(path.c_str(), "ae");
  if (log_ == nullptr) return Errno("cannot open spool", path);
  return Status::Ok();
}

Status EventSpool::Append(const std::string& method, const std::string& path, nlohmann::json body) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(OpenLogLocked());
  SpoolEvent e{next_seq_, method, path, std::move(body)};
  nlohmann::json line = {{"seq", e.seq}, {"method", e.method}, {"path", e.path}, {"body", e.body}};
  std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), log_) != text.size() || std::fflush(log_) != 0) {
    return Errno("cannot append to spool", dir_ + "/" + kLogName);
  }
  ++next_seq_;
  pending_.push_back(std::move(e));
  return Status::Ok();
}

std::vector<SpoolEvent> EventSpool::Pending(size_t max) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SpoolEvent> out;
  for (size_t i = 0; i < pending_.size() && i < max; ++i) out.push_back(pending_[i]);
  return out;
}

size_t EventSpool::PendingCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

Status EventSpool::MarkDelivered(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  while (!pending_.empty() && pending_.front().seq <= seq) pending_.pop_front();
  RETURN_IF_ERROR(WriteCursor(dir_ + "/" + kCursorName, seq));
  if (pending_.empty()) {
    // Nothing left: drop the log so it does not grow for ever; new events start a new one.
    if (log_ != nullptr) std::fclose(log_);
    log_ = nullptr;
    std::string path = dir_ + "/" + kLogName;
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path);
  }
  return Status::Ok();
}

}  // namespace mlcost::agent
