// The quota part of the /api/v1 OpenAPI document (v1_quotas.cc; docs/quotas.md).
#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders

void AddQuotaOpenApi(nlohmann::json& p, nlohmann::json& s) {
  const Json id = PathParam("quota_id", "the quota's number");
  p["/api/v1/quotas"]["get"] = Op("Every budget / quota", {}, "", 200, "QuotaList");
  p["/api/v1/quotas"]["post"] =
      Op("Create a quota: a limit (money or GPU-hours) on a user, team, project or the org per UTC day, week "
         "(Monday), month or in total, with actions alert / block / stop",
         {}, "QuotaBody", 201, "Quota", "409 names the existing quota with the same scope, name, period and unit");
  p["/api/v1/quotas/{quota_id}"]["get"] = Op("One quota", {id}, "", 200, "Quota");
  p["/api/v1/quotas/{quota_id}"]["put"] = Op("Replace a quota (the whole body)", {id}, "QuotaBody", 200, "Quota");
  p["/api/v1/quotas/{quota_id}"]["delete"] = Op("Delete a quota", {id}, "", 200, "Empty");
  p["/api/v1/quotas/{quota_id}/status"]["get"] =
      Op("Use now (live runs + the bill), limit, fraction, period-end forecast and state", {id}, "", 200,
         "QuotaStatus");
  p["/api/v1/quotas/audit"]["get"] =
      Op("Quota changes and enforcement actions, newest first",
         {Query("quota_id", "one quota's rows", {{"type", "integer"}}),
          Query("action", "quota_created, quota_updated, quota_deleted, alert_sent, alert_failed, run_blocked or run_stop"),
          Query("run_id", "one run's rows"), Query("since", "at >= since (ISO 8601)"),
          Query("until", "at < until (ISO 8601)"),
          Query("max_results", "1..50000, default 1000", {{"type", "integer"}})},
         "", 200, "QuotaAudit");

  const std::vector<std::pair<std::string, Json>> common = {
      {"scope", Enum({"user", "team", "project", "org"})},
      {"name", Nullable(Str("the user, team or project; null for org"))},
      {"period", Enum({"day", "week", "month", "total"}, "UTC calendar period; weeks start on Monday")},
      {"unit", Enum({"money", "gpu_hours"}, "default money")},
      {"limit", Money("greater than 0")},
      {"currency", Nullable(Str("money only; default the catalog / bill currency"))},
      {"actions", Array(Enum({"alert", "block", "stop"}))},
      {"webhook_url", Nullable(Str("http(s) URL receiving Slack-format alerts; required with alert"))},
      {"thresholds", Array(Money("fraction of the limit; default [0.8, 1.0]"))},
      {"forecast_alert", Bool("alert once when the period-end forecast passes the limit; default false")}};
  Json body = Json::object();
  for (const auto& [k, v] : common) body[k] = v;
  s["QuotaBody"] = Object(body, {"scope", "period", "limit"});
  Json quota = body;
  quota["quota_id"] = Int("");
  quota["created_at"] = Time("");
  quota["updated_at"] = Time("");
  s["Quota"] = Object(quota, {"quota_id", "scope", "name", "period", "unit", "limit", "currency", "actions",
                              "webhook_url", "thresholds", "forecast_alert", "created_at", "updated_at"});
  s["QuotaList"] = Object({{"quotas", Array(Ref("Quota"))}}, {"quotas"});
  s["QuotaStatus"] = Object(
      {{"quota", Ref("Quota")},
       {"period_start", Nullable(Time("null for total"))},
       {"period_end", Nullable(Time("exclusive; null for total"))},
       {"use", Money("use_runs + use_billed")},
       {"use_runs", Money("live run costs (or GPU-hours) inside the period")},
       {"use_billed", Money("bill lines of the scope whose resource no run tracks")},
       {"runs_counted", Int("")},
       {"runs_unpriced", Int("runs without a price in the quota's currency (not counted)")},
       {"billed_lines", Int("")},
       {"limit", Money("")},
       {"unit", Str("")},
       {"currency", Nullable(Str(""))},
       {"fraction", {{"type", "number"}, {"description", "use / limit (display only)"}}},
       {"forecast", Nullable(Money("use + use x (period end - now) / (now - period start); null for total"))},
       {"state", Enum({"ok", "warning", "forecast_over", "exceeded"})},
       {"crossed_thresholds", Array(Money(""))},
       {"as_of", Time("")}},
      {"quota", "use", "limit", "fraction", "state"});
  s["QuotaAuditEntry"] = Object({{"audit_id", Int("")},
                                 {"at", Time("")},
                                 {"quota_id", Nullable(Int(""))},
                                 {"action", Str("")},
                                 {"run_id", Nullable(Str(""))},
                                 {"detail", Str("")},
                                 {"use", Nullable(Money(""))},
                                 {"limit", Nullable(Money(""))},
                                 {"unit", Nullable(Str(""))}},
                                {"audit_id", "at", "action", "detail"});
  s["QuotaAudit"] = Object({{"entries", Array(Ref("QuotaAuditEntry"))}}, {"entries"});
}

}  // namespace mlcost::api
