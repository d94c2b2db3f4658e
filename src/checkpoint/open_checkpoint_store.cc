#include "checkpoint/open_checkpoint_store.h"

#include "checkpoint/local_checkpoint_store.h"
#include "checkpoint/s3_checkpoint_store.h"
#include "s3/s3_client.h"
#include "s3/s3_config.h"

namespace mlcost::checkpoint {

Result<std::unique_ptr<CheckpointStore>> OpenCheckpointStore(const std::string& uri,
                                                             const StoreOptions& options) {
  if (uri.empty()) return InvalidArgument("checkpoint store URI is empty");
  if (uri.rfind("s3://", 0) == 0) {
    std::string rest = uri.substr(5);
    size_t slash = rest.find('/');
    std::string bucket = rest.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
    if (bucket.empty())
      return InvalidArgument("checkpoint store '" + uri + "': no bucket (expected s3://BUCKET/PREFIX)");
    auto config = s3::S3Config::FromEnvironment(options.s3_endpoint);
    if (!config.ok()) return config.status().WithContext("checkpoint store '" + uri + "'");
    return std::unique_ptr<CheckpointStore>(std::make_unique<S3CheckpointStore>(
        std::make_unique<s3::S3Client>(std::move(config).value()), bucket, prefix, options));
  }
  std::string path = uri;
  if (uri.rfind("file://", 0) == 0) {
    path = uri.substr(7);
    if (path.empty() || path.front() != '/') {
      return InvalidArgument("checkpoint store '" + uri +
                             "': a file:// URI needs an absolute path (file:///dir)");
    }
  } else if (size_t scheme = uri.find("://"); scheme != std::string::npos) {
    return InvalidArgument("checkpoint store '" + uri +
                           "': unsupported scheme (use a path, file:// or s3://)");
  }
  return std::unique_ptr<CheckpointStore>(std::make_unique<LocalCheckpointStore>(path, options));
}

std::string JoinStoreUri(const std::string& uri, const std::string& child) {
  std::string base = uri;
  while (base.size() > 1 && base.back() == '/' && !base.ends_with("://")) base.pop_back();
  return base + "/" + child;
}

}  // namespace mlcost::checkpoint
