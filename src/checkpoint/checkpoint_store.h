// CheckpointStore: saves, lists, verifies, fetches and garbage-collects checkpoints in one store
// (a local directory or an S3 prefix) with the layout and rules of docs/checkpoints.md. The rules
// live here once; LocalCheckpointStore and S3CheckpointStore supply the storage primitives.
//
// A store object is not thread-safe; two processes may read one store while one writes it (a
// checkpoint becomes visible only when its manifest is written), but two writers must not save
// the same name at once.
#ifndef MLCOST_CHECKPOINT_CHECKPOINT_STORE_H_
#define MLCOST_CHECKPOINT_CHECKPOINT_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint/manifest.h"
#include "checkpoint/retention.h"
#include "common/clock.h"
#include "common/sha256.h"
#include "mlcost/status.h"

namespace mlcost::checkpoint {

// Receives one warning line (no trailing newline), e.g. "skipping checkpoint 'step-3': file
// 'model.pt': sha256 is 9f..., the manifest says 4a...".
using WarningSink = std::function<void(const std::string& warning)>;

struct StoreOptions {
  // The clock stamping created_at. Default: the system clock.
  const Clock* clock = nullptr;
  // Where warnings about invalid checkpoints go. Default: stderr, "mlcost: warning: ...".
  WarningSink warn;
  // S3 only: the endpoint URL ("" = from the environment, see S3Config::FromEnvironment).
  std::string s3_endpoint;
};

// One file to save: read from `local_path`, stored as <name>/data/<path>.
struct SaveFile {
  std::string local_path;
  std::string path;
};

// A checkpoint as listed: its manifest when it parses, else why not.
struct CheckpointEntry {
  std::string name;
  std::optional<Manifest> manifest;
  std::string problem;        // set when manifest is absent
  Micros manifest_mtime = 0;  // when MANIFEST.json was last written
};

struct VerifyResult {
  std::string name;
  std::optional<Manifest> manifest;
  std::string problem;  // empty: valid
  bool valid() const { return problem.empty(); }
};

struct GcResult {
  std::vector<std::string> kept;
  std::vector<std::string> deleted;
  std::vector<std::string> kept_invalid;  // invalid, newer than the newest valid one
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;

  // The store's URI as given to OpenCheckpointStore.
  virtual std::string uri() const = 0;

  // Saves a checkpoint: every file first (data/<basename of each path>), MANIFEST.json last.
  // InvalidArgument for a bad name, no files, two files with one basename, or a path that is not a
  // regular file; AlreadyExists when a checkpoint (a manifest) with this name exists; NotFound for
  // a missing file; ResourceExhausted when the disk is full or a file size limit is hit; Internal
  // or Unavailable (S3) for other failures. On any failure nothing visible and no temporary file
  // is left behind. Returns the manifest written.
  Result<Manifest> Save(const std::string& name, const std::vector<std::string>& local_files,
                        std::optional<int64_t> step = std::nullopt,
                        const std::map<std::string, double>& metrics = {});
  // As above with explicit data paths (relative, '/'-separated; see ValidateDataPath).
  Result<Manifest> Save(const std::string& name, const std::vector<SaveFile>& files,
                        std::optional<int64_t> step, const std::map<std::string, double>& metrics);

  // Every checkpoint (every name with a MANIFEST.json), oldest first (created_at, step, name);
  // ones whose manifest does not parse come first, with `problem` set. Reads manifests, not data.
  Result<std::vector<CheckpointEntry>> List();

  // Checks one checkpoint fully: manifest, and every file's presence, size and sha256 (reads
  // all data). NotFound when there is no such checkpoint; an invalid one is an OK result with
  // `problem` set.
  Result<VerifyResult> Verify(const std::string& name);
  // Verify for every checkpoint, oldest first.
  Result<std::vector<VerifyResult>> VerifyAll();

  // The newest VALID checkpoint (fully verified), skipping invalid newer ones with a warning
  // each. NotFound when the store holds no valid checkpoint.
  Result<Manifest> Latest();

  // Local paths of the checkpoint's files, in manifest order. Local store: the files in place
  // (`local_dir` unused, nothing copied). S3: downloaded into local_dir/<path> (created), each
  // checked against the manifest's size and sha256 while downloading. NotFound for an unknown
  // checkpoint; Internal naming the file on a size or sha256 mismatch (nothing left in local_dir
  // for that file).
  Result<std::vector<std::string>> Fetch(const std::string& name, const std::string& local_dir);

  struct Fetched {
    Manifest manifest;
    std::vector<std::string> paths;
  };
  // Latest() + Fetch() in one pass: the newest checkpoint that verifies, with its local paths.
  // For S3 each candidate is verified by the download itself (data read once).
  Result<Fetched> FetchLatest(const std::string& local_dir);

  // Deletes a checkpoint: MANIFEST.json first, then its data. NotFound when it does not exist.
  Status Delete(const std::string& name);

  // Applies `policy` (see PlanRetention) and deletes what it does not keep. InvalidArgument for a
  // bad policy.
  Result<GcResult> Gc(const RetentionPolicy& policy);

 protected:
  explicit CheckpointStore(const StoreOptions& options);

  void Warn(const std::string& warning) const;
  const Clock& clock() const { return *clock_; }

  // Storage primitives. Names and paths are already validated.
  struct NameInfo {
    std::string name;
    Micros manifest_mtime = 0;
  };
  // Names that have a MANIFEST.json.
  virtual Result<std::vector<NameInfo>> ListNames() = 0;
  // MANIFEST.json's text; NotFound when absent.
  virtual Result<std::string> ReadManifest(const std::string& name) = 0;
  // Every data file of `name`: path -> size.
  virtual Result<std::map<std::string, uint64_t>> ListData(const std::string& name) = 0;
  // Streams one data file through SHA-256.
  virtual Result<FileDigest> DigestData(const std::string& name, const std::string& path) = 0;
  // Stores one data file durably and returns its size and sha256 (of the bytes stored).
  virtual Result<ManifestFile> PutData(const std::string& name, const SaveFile& file) = 0;
  // Stores MANIFEST.json durably (the commit point).
  virtual Status PutManifest(const std::string& name, const std::string& json) = 0;
  virtual Status RemoveManifest(const std::string& name) = 0;
  // Removes every data object of `name` (and, locally, its directory if empty).
  virtual Status RemoveData(const std::string& name) = 0;
  // See Fetch. `manifest` is parsed and names existing files.
  virtual Result<std::vector<std::string>> FetchFiles(const Manifest& manifest,
                                                      const std::string& local_dir) = 0;
  // Whether FetchFiles itself checks sha256 (then FetchLatest does not verify separately).
  virtual bool FetchVerifies() const = 0;

 private:
  // "" when valid, else what is wrong.
  std::string Problem(const Manifest& manifest);
  Result<std::vector<std::string>> FetchChecked(const Manifest& manifest, const std::string& local_dir);

  const Clock* clock_;
  WarningSink warn_;
};

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_CHECKPOINT_STORE_H_
