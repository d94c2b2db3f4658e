#include "tracking/artifact_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>

namespace mlcost::tracking {

namespace fs = std::filesystem;

namespace {
constexpr const char* kUploadsDir = ".uploads";
}  // namespace

ArtifactStore::ArtifactStore(std::string root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  fs::path canonical = fs::weakly_canonical(root_, ec);
  if (!ec) root_ = canonical.string();
}

Result<std::string> ArtifactStore::Resolve(const std::string& relative) const {
  auto bad = [&](const char* why) {
    return InvalidArgument("Invalid artifact path '" + relative + "': " + why);
  };
  if (relative.find('\0') != std::string::npos) return bad("contains a NUL byte");
  if (!relative.empty() && relative.front() == '/') return bad("must be relative");
  fs::path rel(relative);
  for (const auto& part : rel) {
    if (part == "..") return bad("'..' is not allowed");
  }
  // In-progress uploads live there: a request must not list, replace or delete them.
  fs::path normal = rel.lexically_normal();
  if (!normal.empty() && *normal.begin() == kUploadsDir) return bad("names the reserved uploads folder");
  fs::path full = (fs::path(root_) / rel).lexically_normal();
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(full, ec);
  if (ec) return bad("cannot be resolved");
  // "a/" names the same entry as "a"; weakly_canonical keeps the slash when "a" does not exist.
  if (!resolved.has_filename() && resolved.has_relative_path()) resolved = resolved.parent_path();
  std::string r = resolved.string();
  if (r != root_ && r.rfind(root_ + "/", 0) != 0) return bad("leads outside the artifact root");
  return r;
}

Result<std::string> ArtifactStore::NewTempFile() const {
  static std::atomic<uint64_t> counter{0};
  fs::path dir = fs::path(root_) / kUploadsDir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir.string() + ": " + ec.message());
  return (dir / ("upload-" + std::to_string(getpid()) + "-" + std::to_string(counter.fetch_add(1)))).string();
}

Status ArtifactStore::Commit(const std::string& temp_file, const std::string& relative) const {
  ASSIGN_OR_RETURN(std::string target, Resolve(relative));
  if (target == root_ || relative.back() == '/') {
    return InvalidArgument("Invalid artifact path '" + relative + "': names no file");
  }
  std::error_code ec;
  fs::create_directories(fs::path(target).parent_path(), ec);
  if (ec) return InvalidArgument("cannot create the directory of artifact '" + relative + "': " + ec.message());
  if (fs::is_directory(target, ec)) return InvalidArgument("artifact '" + relative + "' is a directory");
  fs::rename(temp_file, target, ec);
  if (ec) return Internal("cannot store artifact '" + relative + "': " + ec.message());
  return Status::Ok();
}

Result<std::vector<ArtifactEntry>> ArtifactStore::List(const std::string& relative) const {
  ASSIGN_OR_RETURN(std::string dir, Resolve(relative));
  std::vector<ArtifactEntry> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  if (!fs::is_directory(dir, ec)) return InvalidArgument("artifact path '" + relative + "' is a file, not a directory");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (dir == root_ && name == kUploadsDir) continue;
    ArtifactEntry e;
    e.path = relative.empty() ? name : (fs::path(relative) / name).lexically_normal().string();
    e.is_dir = entry.is_directory(ec);
    if (!e.is_dir) e.file_size = static_cast<int64_t>(entry.file_size(ec));
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const ArtifactEntry& a, const ArtifactEntry& b) { return a.path < b.path; });
  return out;
}

Status ArtifactStore::Delete(const std::string& relative) const {
  ASSIGN_OR_RETURN(std::string target, Resolve(relative));
  if (target == root_) return InvalidArgument("refusing to delete the artifact root");
  std::error_code ec;
  if (!fs::exists(target, ec)) return NotFound("artifact '" + relative + "' does not exist");
  fs::remove_all(target, ec);
  if (ec) return Internal("cannot delete artifact '" + relative + "': " + ec.message());
  return Status::Ok();
}

}  // namespace mlcost::tracking
