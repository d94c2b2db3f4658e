#include "api/v1_run_creation_quotas.h"

#include <cstdio>

#include "quota/webhook_sender.h"

namespace mlcost::api::v1 {

RunCreationQuotas::RunCreationQuotas(ApiContext& ctx, const tracking::CreateRunRequest& request)
    : engine_(ctx), request_(request) {}

Status RunCreationQuotas::Gate() {
  ASSIGN_OR_RETURN(who_, engine_.AttributionOf(request_));
  return engine_.CheckRunCreation(request_, *who_);
}

void RunCreationQuotas::AfterCreated() {
  engine_.ForgetStoreReads();  // the new run counts now, and may name a resource
  if (!who_) return;  // Gate() did not pass: no run was created
  quota::HttpWebhookSender sender;
  Result<int> sent = engine_.EvaluateAlerts(sender, *who_);
  if (!sent.ok()) std::fprintf(stderr, "mlcost: quota alerts after run creation: %s\n", sent.status().ToString().c_str());
}

}  // namespace mlcost::api::v1
