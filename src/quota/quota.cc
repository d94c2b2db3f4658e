#include "quota/quota.h"

#include <algorithm>

namespace mlcost::quota {
namespace {

using nlohmann::json;

const std::set<std::string>& KnownFields() {
  static const auto* fields = new std::set<std::string>{
      "scope", "name", "period", "limit", "unit", "currency", "actions", "webhook_url", "thresholds", "forecast_alert"};
  return *fields;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Result<std::string> OneOf(const json& body, const std::string& field, const std::set<std::string>& allowed,
                          const std::string& fallback) {
  if (!body.contains(field) || body[field].is_null()) {
    if (fallback.empty()) return InvalidArgument("missing field '" + field + "': expected one of " + Join(allowed));
    return fallback;
  }
  if (!body[field].is_string()) return InvalidArgument("field '" + field + "' must be a string");
  std::string value = body[field].get<std::string>();
  if (!allowed.count(value)) {
    return InvalidArgument("unknown " + field + " '" + value + "' in field '" + field + "': expected one of " +
                           Join(allowed));
  }
  return value;
}

// A decimal given as a JSON string or number ("100.50" or 100.5): numbers go through their JSON
// text, never a double.
Result<Decimal> DecimalField(const json& value, const std::string& field) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number()) {
    text = value.dump();
  } else {
    return InvalidArgument("field '" + field + "' must be a decimal number or string, got " + value.dump());
  }
  Result<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) return InvalidArgument("field '" + field + "' is not a decimal number: '" + text + "'");
  return *d;
}

Status CheckWebhook(const std::string& url) {
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) {
    size_t scheme = url.find("://") + 3;
    if (url.size() > scheme && url[scheme] != '/') return Status::Ok();
  }
  return InvalidArgument("field 'webhook_url' must be an http:// or https:// URL with a host, got '" + url + "'");
}

}  // namespace

bool Quota::HasAction(const std::string& action) const {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

std::string Quota::LimitText() const { return AmountText(limit); }

std::string Quota::AmountText(const Decimal& amount) const {
  return unit == kUnitMoney ? amount.ToString() + " " + currency : amount.ToString() + " GPU-hours";
}

std::string Quota::Describe() const {
  std::string who = scope == kScopeOrg ? std::string("org") : scope + " " + scope_name;
  return "quota " + std::to_string(quota_id) + " (" + who + ", " + period + ", " + LimitText() + ")";
}

Result<Quota> ParseQuota(const json& body, const QuotaParseContext& context) {
  if (!body.is_object()) return InvalidArgument("the request body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (!KnownFields().count(key)) {
      return InvalidArgument("unknown field '" + key + "'; expected one of: " + Join(KnownFields()));
    }
  }
  Quota q;
  ASSIGN_OR_RETURN(q.scope, OneOf(body, "scope", {kScopeUser, kScopeTeam, kScopeProject, kScopeOrg}, ""));
  const json* name = body.contains("name") && !body["name"].is_null() ? &body["name"] : nullptr;
  if (q.scope == kScopeOrg) {
    if (name != nullptr && !(name->is_string() && name->get<std::string>().empty())) {
      return InvalidArgument("field 'name' must be absent for scope org (the organisation has no name)");
    }
  } else {
    if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
      return InvalidArgument("missing field 'name': the " + q.scope + " the quota applies to");
    }
    q.scope_name = name->get<std::string>();
  }
  ASSIGN_OR_RETURN(q.period, OneOf(body, "period", {"day", "week", "month", "total"}, ""));
  ASSIGN_OR_RETURN(q.unit, OneOf(body, "unit", {kUnitMoney, kUnitGpuHours}, kUnitMoney));
  if (!body.contains("limit") || body["limit"].is_null()) return InvalidArgument("missing field 'limit'");
  ASSIGN_OR_RETURN(q.limit, DecimalField(body["limit"], "limit"));
  if (q.limit <= Decimal()) {
    return InvalidArgument("field 'limit' must be greater than 0, got " + q.limit.ToString());
  }

  const bool has_currency = body.contains("currency") && !body["currency"].is_null();
  if (has_currency && !body["currency"].is_string()) return InvalidArgument("field 'currency' must be a string");
  std::string currency = has_currency ? body["currency"].get<std::string>() : "";
  if (q.unit == kUnitGpuHours) {
    if (!currency.empty()) return InvalidArgument("field 'currency' does not apply to a gpu_hours quota");
  } else if (currency.empty()) {
    if (context.known_currencies.size() > 1) {
      return InvalidArgument("missing field 'currency': the catalog and bill hold " +
                             Join(context.known_currencies) + "; say which one the limit is in");
    }
    q.currency = context.known_currencies.empty() ? "USD" : *context.known_currencies.begin();
  } else {
    if (!context.known_currencies.empty() && !context.known_currencies.count(currency)) {
      return InvalidArgument("field 'currency' is '" + currency + "' but the catalog and bill hold only " +
                             Join(context.known_currencies) + ": use would never be counted against this limit");
    }
    q.currency = currency;
  }

  if (body.contains("actions") && !body["actions"].is_null()) {
    if (!body["actions"].is_array() || body["actions"].empty()) {
      return InvalidArgument("field 'actions' must be a non-empty array of alert, block, stop");
    }
    std::set<std::string> actions;
    for (const json& a : body["actions"]) {
      if (!a.is_string()) return InvalidArgument("field 'actions' must hold strings, got " + a.dump());
      std::string action = a.get<std::string>();
      if (action != kActionAlert && action != kActionBlock && action != kActionStop) {
        return InvalidArgument("unknown action '" + action + "' in field 'actions': expected alert, block or stop");
      }
      actions.insert(action);
    }
    q.actions.assign(actions.begin(), actions.end());
  } else {
    q.actions = {kActionAlert};
  }

  if (body.contains("webhook_url") && !body["webhook_url"].is_null()) {
    if (!body["webhook_url"].is_string()) return InvalidArgument("field 'webhook_url' must be a string");
    q.webhook_url = body["webhook_url"].get<std::string>();
    if (!q.webhook_url.empty()) RETURN_IF_ERROR(CheckWebhook(q.webhook_url));
  }
  if (q.HasAction(kActionAlert) && q.webhook_url.empty()) {
    return InvalidArgument("field 'webhook_url' is required when 'actions' holds alert (where would it go?)");
  }

  if (body.contains("thresholds") && !body["thresholds"].is_null()) {
    if (!body["thresholds"].is_array() || body["thresholds"].empty()) {
      return InvalidArgument("field 'thresholds' must be a non-empty array of fractions of the limit, e.g. [0.8, 1.0]");
    }
    for (const json& t : body["thresholds"]) {
      ASSIGN_OR_RETURN(Decimal d, DecimalField(t, "thresholds"));
      if (d <= Decimal() || d > Decimal::FromInt(10)) {
        return InvalidArgument("field 'thresholds' holds " + d.ToString() + ": each must be in (0, 10]");
      }
      q.thresholds.push_back(d);
    }
    std::sort(q.thresholds.begin(), q.thresholds.end());
    q.thresholds.erase(std::unique(q.thresholds.begin(), q.thresholds.end()), q.thresholds.end());
  } else {
    q.thresholds = {*Decimal::Parse("0.8"), Decimal::FromInt(1)};
  }

  if (body.contains("forecast_alert") && !body["forecast_alert"].is_null()) {
    if (!body["forecast_alert"].is_boolean()) return InvalidArgument("field 'forecast_alert' must be true or false");
    q.forecast_alert = body["forecast_alert"].get<bool>();
  }
  return q;
}

json QuotaToJson(const Quota& q) {
  json thresholds = json::array();
  for (const Decimal& t : q.thresholds) thresholds.push_back(t.ToString());
  return json{{"quota_id", q.quota_id},
              {"scope", q.scope},
              {"name", q.scope == kScopeOrg ? json(nullptr) : json(q.scope_name)},
              {"period", q.period},
              {"unit", q.unit},
              {"limit", q.limit.ToString()},
              {"currency", q.currency.empty() ? json(nullptr) : json(q.currency)},
              {"actions", q.actions},
              {"webhook_url", q.webhook_url.empty() ? json(nullptr) : json(q.webhook_url)},
              {"thresholds", thresholds},
              {"forecast_alert", q.forecast_alert},
              {"created_at", FormatIso8601(q.created_at)},
              {"updated_at", FormatIso8601(q.updated_at)}};
}

bool Conflicts(const Quota& a, const Quota& b) {
  return a.scope == b.scope && a.scope_name == b.scope_name && a.period == b.period && a.unit == b.unit;
}

}  // namespace mlcost::quota
