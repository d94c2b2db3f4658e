// LocalCheckpointStore: a checkpoint store in a local (or network-mounted) directory:
// ROOT/<name>/data/<path> and ROOT/<name>/MANIFEST.json, every file written temp + fsync + rename
// + directory fsync (checkpoint/durable_file.h).
#ifndef MLCOST_CHECKPOINT_LOCAL_CHECKPOINT_STORE_H_
#define MLCOST_CHECKPOINT_LOCAL_CHECKPOINT_STORE_H_

#include <string>

#include "checkpoint/checkpoint_store.h"

namespace mlcost::checkpoint {

class LocalCheckpointStore final : public CheckpointStore {
 public:
  // `root` need not exist yet; Save creates it.
  LocalCheckpointStore(std::string root, const StoreOptions& options = {});

  std::string uri() const override { return root_; }
  const std::string& root() const { return root_; }

 protected:
  Result<std::vector<NameInfo>> ListNames() override;
  Result<std::string> ReadManifest(const std::string& name) override;
  Result<std::map<std::string, uint64_t>> ListData(const std::string& name) override;
  Result<FileDigest> DigestData(const std::string& name, const std::string& path) override;
  Result<ManifestFile> PutData(const std::string& name, const SaveFile& file) override;
  Status PutManifest(const std::string& name, const std::string& json) override;
  Status RemoveManifest(const std::string& name) override;
  Status RemoveData(const std::string& name) override;
  Result<std::vector<std::string>> FetchFiles(const Manifest& manifest,
                                              const std::string& local_dir) override;
  bool FetchVerifies() const override { return false; }

 private:
  std::string NameDir(const std::string& name) const { return root_ + "/" + name; }
  std::string DataPath(const std::string& name, const std::string& path) const {
    return root_ + "/" + name + "/data/" + path;
  }

  std::string root_;
};

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_LOCAL_CHECKPOINT_STORE_H_
