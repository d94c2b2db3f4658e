// ArtifactStore: run artifacts proxied by the server (MLflow's mlflow-artifacts service), kept as
// files under one root directory. Every path from a request is relative to the root and confined
// to it: absolute paths, ".." segments, NUL bytes and symlinks leading out are refused.
#ifndef MLCOST_TRACKING_ARTIFACT_STORE_H_
#define MLCOST_TRACKING_ARTIFACT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::tracking {

struct ArtifactEntry {
  std::string path;  // relative to the listed directory
  bool is_dir = false;
  std::optional<int64_t> file_size;  // unset for directories
};

// Thread-safe: operations are independent file-system calls; uploads become visible atomically.
class ArtifactStore {
 public:
  // `root` is created if missing.
  explicit ArtifactStore(std::string root);

  // The absolute file path for `relative`, confined to the root. InvalidArgument naming the path
  // when it escapes the root, is malformed, or lies in the uploads folder NewTempFile() uses.
  Result<std::string> Resolve(const std::string& relative) const;

  // A temporary file in the root to stream an upload into; then Commit() it.
  Result<std::string> NewTempFile() const;
  // Moves `temp_file` to `relative` (creating directories), replacing an existing file.
  Status Commit(const std::string& temp_file, const std::string& relative) const;

  // Direct children of directory `relative` ("" = root), sorted by path. A missing directory
  // lists as empty (as MLflow does). InvalidArgument if `relative` is a file.
  Result<std::vector<ArtifactEntry>> List(const std::string& relative) const;

  // Deletes a file or a directory tree. NotFound if absent.
  Status Delete(const std::string& relative) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_ARTIFACT_STORE_H_
