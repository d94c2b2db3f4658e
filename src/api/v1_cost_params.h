// Query parameters shared by GET /api/v1/anomalies and GET /api/v1/forecast (docs/api.md), parsed
// into the costs layer's types without a socket.
#ifndef MLCOST_API_V1_COST_PARAMS_H_
#define MLCOST_API_V1_COST_PARAMS_H_

#include <optional>
#include <string_view>

#include "api/v1_common.h"
#include "common/decimal.h"
#include "costs/cost_series_loader.h"

namespace mlcost::api::v1 {

// scope=service_name (default) | service_category | sub_account_id | billing_account_id |
// region_id | provider_name | tag:KEY | total. InvalidArgument naming the value and the choices.
Result<costs::Scope> ParseScopeParam(Args args);
// metric=effective (default) | billed | list (or the column names). InvalidArgument otherwise.
Result<costs::CostMetric> ParseMetricParam(Args args);
// A YYYY-MM-DD day; empty when absent. InvalidArgument naming the parameter otherwise.
Result<std::optional<int64_t>> ParseDayParam(Args args, std::string_view key);
// A non-negative decimal amount such as "25" or "0.5"; empty when absent. InvalidArgument naming
// the parameter for anything else (negative, not a number).
Result<std::optional<Decimal>> ParseAmountParam(Args args, std::string_view key);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_COST_PARAMS_H_
