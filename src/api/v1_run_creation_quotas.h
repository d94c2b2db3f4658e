// RunCreationQuotas: the quota hooks of one run creation (docs/quotas.md, "Block").
#ifndef MLCOST_API_V1_RUN_CREATION_QUOTAS_H_
#define MLCOST_API_V1_RUN_CREATION_QUOTAS_H_

#include <optional>

#include "api/api_context.h"
#include "api/v1_attribution.h"
#include "api/v1_quota_engine.h"
#include "tracking/tracking_service.h"

namespace mlcost::api::v1 {

// The quota hooks of one run creation (POST /api/v1/runs, MLflow runs/create), on one engine and
// one attribution: Gate() before CreateRun is CheckRunCreation; AfterCreated() evaluates the
// alerts of the quotas that apply to the new run through HTTP webhooks (3 s timeouts), logging a
// failure to stderr and never failing the creation; call it only after Gate() passed. `ctx`
// and `request` must outlive the object.
class RunCreationQuotas {
 public:
  RunCreationQuotas(ApiContext& ctx, const tracking::CreateRunRequest& request);
  Status Gate();
  void AfterCreated();

 private:
  QuotaEngine engine_;
  const tracking::CreateRunRequest& request_;
  std::optional<Attribution> who_;  // resolved by Gate(); AfterCreated() needs it
};

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_RUN_CREATION_QUOTAS_H_
