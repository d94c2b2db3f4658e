// ApiContext: what handlers work with. Owned by the server; outlives every request.
#ifndef MLCOST_API_API_CONTEXT_H_
#define MLCOST_API_API_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include "billing/ingest_service.h"
#include "common/clock.h"
#include "earlystop/pruner_index.h"
#include "pricing/price_catalog.h"
#include "store/database.h"
#include "tracking/artifact_store.h"
#include "tracking/tracking_service.h"

namespace mlcost::api {

struct ApiContext {
  tracking::TrackingService& tracking;
  const pricing::PriceCatalog& prices;
  const Clock& clock;
  // Proxied artifacts under DATA_DIR/artifacts; request paths are confined to it.
  const tracking::ArtifactStore& artifacts;
  // The database, for resources that open their own connections (billing, costs, SQL).
  store::Database& db;
  // Bills in: POST /api/v1/ingests.
  billing::IngestService& ingests;
  // The median / percentile pruners' decision index (earlystop/pruner_index.h): in memory for the
  // context's lifetime (the server's), built per experiment from the store — in the background by
  // the server's warmer (pruner_changed below), else on the experiment's first decision. Thread-safe.
  std::shared_ptr<earlystop::PrunerIndex> pruner_index = std::make_shared<earlystop::PrunerIndex>();
  // Called with an experiment's id after its pruner was set (PUT .../pruner); the server warms the
  // experiment's index entry in the background (server/pruner_index_warmer.h). Empty: nothing.
  std::function<void(const std::string& experiment_id)> pruner_changed = nullptr;
};

}  // namespace mlcost::api

#endif  // MLCOST_API_API_CONTEXT_H_
