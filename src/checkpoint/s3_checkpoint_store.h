// S3CheckpointStore: a checkpoint store under s3://BUCKET/PREFIX: keys PREFIX/<name>/data/<path>
// and PREFIX/<name>/MANIFEST.json (PUT last). Data files are hashed first, then uploaded with the
// hash signed as the payload (single PUT: S3 rejects a body that differs) or in multipart parts.
#ifndef MLCOST_CHECKPOINT_S3_CHECKPOINT_STORE_H_
#define MLCOST_CHECKPOINT_S3_CHECKPOINT_STORE_H_

#include <memory>
#include <string>

#include "checkpoint/checkpoint_store.h"
#include "s3/s3_client.h"

namespace mlcost::checkpoint {

class S3CheckpointStore final : public CheckpointStore {
 public:
  // `prefix` without leading or trailing '/' ("" for the bucket's root).
  S3CheckpointStore(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string prefix,
                    const StoreOptions& options = {});

  std::string uri() const override;

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
  bool FetchVerifies() const override { return true; }

 private:
  std::string Key(const std::string& rest) const { return prefix_.empty() ? rest : prefix_ + "/" + rest; }

  std::unique_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string prefix_;
};

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_S3_CHECKPOINT_STORE_H_
