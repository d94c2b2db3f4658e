// Connects cpp-httplib to the Router: converts requests, enforces body limits while reading
// (413 with a JSON error, before buffering more than the limit), streams artifact uploads to
// disk and downloads from disk.
#ifndef MLCOST_SERVER_HTTP_ADAPTER_H_
#define MLCOST_SERVER_HTTP_ADAPTER_H_

#include <httplib.h>

#include "api/router.h"
#include "tracking/artifact_store.h"

namespace mlcost::server {

struct HttpLimits {
  size_t max_body_bytes;
  size_t max_artifact_bytes;
};

// Registers catch-all handlers on `http` that dispatch to `router`. `router` and `artifacts`
// must outlive `http`.
void InstallHttpAdapter(httplib::Server& http, const api::Router& router, const tracking::ArtifactStore& artifacts,
                        HttpLimits limits, bool access_log);

}  // namespace mlcost::server

#endif  // MLCOST_SERVER_HTTP_ADAPTER_H_
