// A budget or quota (docs/quotas.md): a limit on what one scope (a user, a team, a project or the
// whole organisation) may spend in a UTC calendar period, in money or in GPU-hours, and what
// mlcost does as the limit nears or is passed (alert, block new runs, stop running ones).
#ifndef MLCOST_QUOTA_QUOTA_H_
#define MLCOST_QUOTA_QUOTA_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::quota {

inline constexpr char kScopeUser[] = "user";
inline constexpr char kScopeTeam[] = "team";
inline constexpr char kScopeProject[] = "project";
inline constexpr char kScopeOrg[] = "org";

inline constexpr char kUnitMoney[] = "money";
inline constexpr char kUnitGpuHours[] = "gpu_hours";

inline constexpr char kActionAlert[] = "alert";
inline constexpr char kActionBlock[] = "block";
inline constexpr char kActionStop[] = "stop";

struct Quota {
  int64_t quota_id = 0;
  std::string scope;       // user | team | project | org
  std::string scope_name;  // "" for org
  std::string period;      // day | week | month | total
  std::string unit;        // money | gpu_hours
  Decimal limit;           // > 0; money in `currency`, else GPU-hours
  std::string currency;    // money only ("" for gpu_hours)
  std::vector<std::string> actions;  // subset of alert, block, stop; sorted, unique
  std::string webhook_url;           // "" = none
  std::vector<Decimal> thresholds;   // fractions of the limit, ascending; default 0.8, 1.0
  bool forecast_alert = false;
  Micros created_at = 0;
  Micros updated_at = 0;

  bool HasAction(const std::string& action) const;
  // "quota 3 (team vision, month, 100 USD)".
  std::string Describe() const;
  // The limit with its unit: "100 USD" or "40 GPU-hours".
  std::string LimitText() const;
  // `amount` in the quota's unit: "12.5 USD" or "3.25 GPU-hours".
  std::string AmountText(const Decimal& amount) const;
};

// What ParseQuota needs to know beyond the body.
struct QuotaParseContext {
  // Currencies of the price catalog and the bill; a money quota's currency must be one of them
  // when it is not empty. Without a currency in the body: the only one, else USD when empty.
  std::set<std::string> known_currencies;
};

// Parses a POST/PUT body {scope, name?, period, limit, unit?, currency?, actions?, webhook_url?,
// thresholds?, forecast_alert?} into a Quota (quota_id and times left 0). Defaults: unit money,
// actions ["alert"], thresholds [0.8, 1.0], forecast_alert false. InvalidArgument naming the field:
// an unknown field, scope, period, unit or action; a missing or empty name (except org, which
// takes none); a limit that is not a positive decimal; a currency on a gpu_hours quota or one not
// in known_currencies; a webhook_url that is not http:// or https://; alert without webhook_url;
// a threshold outside (0, 10].
Result<Quota> ParseQuota(const nlohmann::json& body, const QuotaParseContext& context);

// The wire form: {quota_id, scope, name, period, unit, limit, currency, actions, webhook_url,
// thresholds, forecast_alert, created_at, updated_at}; money and thresholds as decimal strings.
nlohmann::json QuotaToJson(const Quota& q);

// True when two quotas conflict: the same scope, name, period and unit (docs/quotas.md).
bool Conflicts(const Quota& a, const Quota& b);

}  // namespace mlcost::quota

#endif  // MLCOST_QUOTA_QUOTA_H_
