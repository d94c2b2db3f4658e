// The anomaly and forecast part of the /api/v1 OpenAPI document (v1_anomalies.cc, v1_forecast.cc).
#include <string>
#include <vector>

#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {
namespace {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders

Json Day(const char* d) { return {{"type", "string"}, {"format", "date"}, {"description", d}, {"nullable", true}}; }
Json Get(const char* summary, std::vector<Json> params, const std::string& response) {
  return {{"summary", summary},
          {"parameters", params},
          {"responses",
           {{"200", {{"description", "OK"}, {"content", {{"application/json", {{"schema", Ref(response)}}}}}}},
            {"default", {{"$ref", "#/components/responses/Error"}}}}}};
}

Json ScopeParam() {
  return Query("scope",
               "service_name (default), service_category, sub_account_id, billing_account_id, region_id, "
               "provider_name, tag:KEY (e.g. tag:team) or total");
}
Json MetricParam() {
  return Query("metric", "effective (default), billed or list",
               {{"type", "string"}, {"enum", {"effective", "billed", "list"}}});
}

}  // namespace

void AddCostInsightPaths(nlohmann::json& paths) {
  paths["/api/v1/anomalies"]["get"] = Get(
      "Days whose cost is far from its weekday-aware baseline (docs/anomalies.md)",
      {ScopeParam(), MetricParam(),
       Query("since", "first day reported (YYYY-MM-DD); default until - 29", {{"type", "string"}, {"format", "date"}}),
       Query("until", "last day reported; default the last day with costs", {{"type", "string"}, {"format", "date"}}),
       Query("min_impact", "smallest |impact| reported, a decimal amount; default 0"),
       Query("min_impact_percent", "smallest |impact| in % of expected; default 10", {{"type", "number"}}),
       Query("direction", "up (default), down or both", {{"type", "string"}, {"enum", {"up", "down", "both"}}}),
       {{"$ref", "#/components/parameters/MaxResults"}}, {{"$ref", "#/components/parameters/PageToken"}}},
      "AnomalyList");
  paths["/api/v1/forecast"]["get"] =
      Get("Month-end forecast per scope value: month to date + expected remaining days, with an 80 % interval",
          {ScopeParam(), MetricParam(),
           Query("month", "YYYY-MM; default the month of the last day with costs")},
          "ForecastReport");
}

void AddCostInsightSchemas(nlohmann::json& s) {
  s["Anomaly"] = Object({{"scope", Str("the scope asked for")},
                         {"value", Str("the scope's value; unallocated when the column or tag is empty")},
                         {"date", Day("the day (UTC)")},
                         {"currency", Str("billing currency")},
                         {"expected", Money("the baseline")},
                         {"actual", Money("the day's cost")},
                         {"impact", Money("actual - expected")},
                         {"impact_percent", {{"type", "number"}, {"nullable", true}, {"description", "impact / expected * 100"}}}},
                        {"scope", "value", "date", "currency", "expected", "actual", "impact", "impact_percent"});
  s["AnomalyList"] = Object({{"scope", Str("")},
                             {"metric", Str("effective_cost, billed_cost or list_cost")},
                             {"since", Day("null when there are no costs")},
                             {"until", Day("null when there are no costs")},
                             {"series", Int("series examined")},
                             {"anomalies", {{"type", "array"}, {"items", Ref("Anomaly")}}},
                             {"next_page_token", Str("token of the next page; \"\" at the end")}},
                            {"scope", "metric", "since", "until", "series", "anomalies", "next_page_token"});
  s["ScopeForecast"] = Object(
      {{"value", Str("")},
       {"currency", Str("")},
       {"month_to_date", Money("exact sum of the month's observed days")},
       {"expected_remaining", Money("baseline of the remaining days")},
       {"forecast", Money("month_to_date + expected_remaining")},
       {"interval", Object({{"low", Money("")}, {"high", Money("")}, {"level", {{"type", "number"}}}},
                           {"low", "high", "level"})},
       {"days_observed", Int("")}},
      {"value", "currency", "month_to_date", "expected_remaining", "forecast", "interval"});
  s["ForecastReport"] = Object(
      {{"scope", Str("")},
       {"metric", Str("")},
       {"month", {{"type", "string"}, {"nullable", true}, {"description", "YYYY-MM"}}},
       {"as_of", Day("the last day with costs the forecast stands on")},
       {"days_observed", Int("")},
       {"days_remaining", Int("")},
       {"forecasts", {{"type", "array"}, {"items", Ref("ScopeForecast")}}},
       {"total", {{"type", "object"}, {"description", "currency -> {month_to_date, forecast}"}}}},
      {"scope", "metric", "month", "as_of", "days_observed", "days_remaining", "forecasts", "total"});
}

}  // namespace mlcost::api
