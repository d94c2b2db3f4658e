// OpenCheckpointStore: the store a URI names (docs/checkpoints.md, "Store URI").
#ifndef MLCOST_CHECKPOINT_OPEN_CHECKPOINT_STORE_H_
#define MLCOST_CHECKPOINT_OPEN_CHECKPOINT_STORE_H_

#include <memory>
#include <string>

#include "checkpoint/checkpoint_store.h"

namespace mlcost::checkpoint {

// "s3://BUCKET[/PREFIX]" -> S3CheckpointStore (endpoint: options.s3_endpoint, else the
// environment; credentials from the environment); "file:///abs/path", "/abs/path" or a relative
// path -> LocalCheckpointStore. Opening does no I/O. InvalidArgument for an empty URI, an
// s3:// URI without a bucket, another scheme (e.g. "gs://"), or an incomplete S3 configuration
// (missing credentials, bad endpoint).
Result<std::unique_ptr<CheckpointStore>> OpenCheckpointStore(const std::string& uri,
                                                             const StoreOptions& options = {});

// `uri` + "/" + `child` for either kind of URI (e.g. a run's store under --checkpoint-dir).
std::string JoinStoreUri(const std::string& uri, const std::string& child);

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_OPEN_CHECKPOINT_STORE_H_
