#include "quota/slack_payload.h"

#include <cmath>
#include <cstdio>

namespace mlcost::quota {
namespace {

using nlohmann::json;

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::round(fraction * 1000) / 10);
  return buf;
}

std::string Scope(const Quota& q) { return q.scope == kScopeOrg ? std::string("the organisation") : q.scope + " " + q.scope_name; }

json Field(const std::string& label, const std::string& value) {
  return json{{"type", "mrkdwn"}, {"text", "*" + label + "*\n" + value}};
}

}  // namespace

std::string ThresholdAlert(const Decimal& fraction) { return "threshold:" + fraction.ToString(); }

std::vector<std::string> DueAlerts(const Quota& quota, const QuotaStatus& status) {
  std::vector<std::string> out;
  if (!quota.HasAction(kActionAlert)) return out;
  for (const Decimal& t : status.crossed) out.push_back(ThresholdAlert(t));
  if (quota.forecast_alert && status.forecast && *status.forecast > quota.limit && !status.exhausted()) {
    out.push_back(kForecastAlert);
  }
  return out;
}

json SlackPayload(const Quota& quota, const QuotaStatus& status, const std::string& alert) {
  const Decimal use = status.use.total();
  std::string text;
  std::string title;
  if (alert == kForecastAlert) {
    title = "Quota forecast over its limit";
    text = "mlcost: " + quota.Describe() + " for " + Scope(quota) + " is forecast to reach " +
           quota.AmountText(status.forecast.value_or(use)) + " by the end of the " + quota.period + ", over its limit of " +
           quota.LimitText() + " (use so far " + quota.AmountText(use) + ", " + Percent(status.fraction) + ")";
  } else {
    std::string threshold = alert.substr(alert.find(':') + 1);
    title = use >= quota.limit ? "Quota reached" : "Quota threshold passed";
    text = "mlcost: " + quota.Describe() + " for " + Scope(quota) + " has used " + quota.AmountText(use) + " of " +
           quota.LimitText() + " (" + Percent(status.fraction) + ", threshold " + threshold + ") this " +
           quota.period;
  }
  json fields = json::array({Field("Scope", Scope(quota)), Field("Period", quota.period),
                             Field("Use", quota.AmountText(use) + " (" + Percent(status.fraction) + ")"),
                             Field("Limit", quota.LimitText())});
  if (status.forecast) fields.push_back(Field("Forecast (period end)", quota.AmountText(*status.forecast)));
  std::string actions;
  for (const std::string& a : quota.actions) actions += (actions.empty() ? "" : ", ") + a;
  return json{{"text", text},
              {"blocks",
               json::array({json{{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", title}}}},
                            json{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}},
                            json{{"type", "section"}, {"fields", fields}},
                            json{{"type", "context"},
                                 {"elements", json::array({json{{"type", "mrkdwn"},
                                                                {"text", "quota " + std::to_string(quota.quota_id) +
                                                                             " · alert " + alert + " · actions " +
                                                                             actions}}})}}})}};
}

}  // namespace mlcost::quota
