#include "api/v1_cost_params.h"

#include <string>

#include "costs/calendar.h"

namespace mlcost::api::v1 {
namespace {

Status Invalid(std::string_view key, const Status& cause) {
  return InvalidArgument("parameter '" + std::string(key) + "': " + cause.message());
}

}  // namespace

Result<costs::Scope> ParseScopeParam(Args args) {
  ASSIGN_OR_RETURN(std::string text, args.StringOr("scope", "service_name"));
  auto scope = costs::ParseScope(text);
  if (!scope.ok()) return Invalid("scope", scope.status());
  return *scope;
}

Result<costs::CostMetric> ParseMetricParam(Args args) {
  ASSIGN_OR_RETURN(std::string text, args.StringOr("metric", "effective"));
  auto metric = costs::ParseCostMetric(text);
  if (!metric.ok()) return Invalid("metric", metric.status());
  return *metric;
}

Result<std::optional<int64_t>> ParseDayParam(Args args, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, args.OptionalString(key));
  if (!text) return std::optional<int64_t>();
  auto day = costs::ParseDay(*text);
  if (!day.ok()) return Invalid(key, day.status());
  return std::optional<int64_t>(*day);
}

Result<std::optional<Decimal>> ParseAmountParam(Args args, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, args.OptionalString(key));
  if (!text) return std::optional<Decimal>();
  auto amount = Decimal::Parse(*text);
  if (!amount.ok() || *amount < Decimal()) {
    return InvalidArgument("parameter '" + std::string(key) + "': \"" + *text +
                           "\" is not a non-negative decimal amount");
  }
  return std::optional<Decimal>(*amount);
}

}  // namespace mlcost::api::v1
