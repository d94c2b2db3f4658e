// The alert a quota webhook receives: Slack's incoming-webhook format (docs/quotas.md,
// "Alerts"), {"text": fallback, "blocks": [header, section with fields, context]}, which Slack,
// Mattermost and most chat bridges accept as is.
#ifndef MLCOST_QUOTA_SLACK_PAYLOAD_H_
#define MLCOST_QUOTA_SLACK_PAYLOAD_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quota/quota.h"
#include "quota/quota_status.h"

namespace mlcost::quota {

// Alert names: "threshold:<fraction>" (e.g. "threshold:0.8") or "forecast".
inline constexpr char kForecastAlert[] = "forecast";
std::string ThresholdAlert(const Decimal& fraction);

// The alerts `status` calls for, before deduplication: one per crossed threshold, and "forecast"
// when the quota asks for it, the forecast passes the limit and the use has not reached it.
// Empty unless the quota has the alert action.
std::vector<std::string> DueAlerts(const Quota& quota, const QuotaStatus& status);

// The message for `alert`. `text` names the quota, its scope, use, limit and percentage (and the
// forecast for a forecast alert), so it reads well where blocks are not shown.
nlohmann::json SlackPayload(const Quota& quota, const QuotaStatus& status, const std::string& alert);

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_SLACK_PAYLOAD_H_
