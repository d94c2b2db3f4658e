// The explorer's part of the /api/v1 OpenAPI document (v1_explorer.cc, v1_allocation.cc,
// v1_leaderboards.cc); openapi.cc and openapi_schemas.cc call in here.
#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {
namespace {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders





}  // namespace

void AddExplorerOpenApiPaths(nlohmann::json& p) {
  p["/api/v1/costs"]["get"] = Op(
      "Cost explorer over the bill: group by FOCUS columns, tags or allocation dimensions, per time bucket",
      {Repeated("group_by", "repeatable or comma list: a cost column (service_name, region_id, ...), tag:KEY, team, "
                            "user, project or model"),
       Query("granularity", "none, hour, day (default), week (ISO, Monday) or month; UTC on charge_period_start"),
       Query("metric", "billed (default; invoiced), effective (amortized), list or contracted"),
       Repeated("filter", "repeatable: DIM:VALUE, DIM=VALUE, tag:KEY:VALUE; same DIM = OR, different = AND"),
       Query("since", "charge_period_start >= since (ISO 8601)"),
       Query("until", "charge_period_start < until (ISO 8601)"),
       Query("top", "keep the N largest groups per currency, fold the rest into an 'other' row per bucket")},
      "", 200, "CostExplorerReport");
  p["/api/v1/allocation/rules"]["get"] = Op("Allocation rules, in position order", {}, "", 200, "AllocationRuleList");
  p["/api/v1/allocation/rules"]["post"] =
      Op("Add an allocation rule (at 'position', default the end)", {}, "AllocationRuleBody", 201, "AllocationRule");
  p["/api/v1/allocation/rules/reorder"]["post"] =
      Op("Set the order of every rule", {}, "AllocationRuleOrder", 200, "AllocationRuleList");
  Json id = PathParam("rule_id", "rule id");
  p["/api/v1/allocation/rules/{rule_id}"]["get"] = Op("Get an allocation rule", {id}, "", 200, "AllocationRule");
  p["/api/v1/allocation/rules/{rule_id}"]["put"] =
      Op("Replace an allocation rule; a position moves it", {id}, "AllocationRuleBody", 200, "AllocationRule");
  p["/api/v1/allocation/rules/{rule_id}"]["delete"] = Op("Delete an allocation rule", {id}, "", 200, "Empty");
  p["/api/v1/leaderboards/costs"]["get"] =
      Op("Cost per user / team / project / model (or any dimension) in a window, with the change versus the "
         "previous window",
         {Query("by", "team (default), user, project, model, a cost column or tag:KEY"),
          Query("window", "Nd (N whole UTC days to today; default 30d), month (previous = last month), or "
                          "SINCE,UNTIL (previous = same length before)"),
          Query("metric", "billed (default), effective, list or contracted")},
         "", 200, "CostLeaderboard");
  p["/api/v1/leaderboards/runs"]["get"] =
      Op("Runs ranked by a metric per unit of cost (billed when joined to the bill, else the live estimate)",
         {Query("metric", "metric key, e.g. accuracy", {{"type", "string"}}, true), Query("order", "desc (default) or asc"),
          Repeated("experiment_id", "repeatable; default every experiment"),
          Query("max_results", "1..50000, default 100")},
         "", 200, "RunLeaderboard");
  p["/api/v1/runs/{run_id}/billed-cost"]["get"] =
      Op("A run's billed cost from the bill (resource id + attempt windows, prorated) next to its live estimate",
         {PathParam("run_id", "run id")}, "", 200, "RunBilledCost");
}

void AddExplorerOpenApiSchemas(nlohmann::json& s) {
  Json money_map = {{"type", "object"}, {"additionalProperties", {{"type", "string"}}},
                    {"description", "currency -> exact decimal amount"}};
  s["CostExplorerRow"] = Object({{"period_start", Str("bucket start (absent for granularity none)")},
                                 {"billing_currency", Str("")},
                                 {"group", {{"type", "object"}, {"description", "dimension label -> value (null)"}}},
                                 {"cost", Money("exact sum")},
                                 {"lines", Int("cost lines summed")},
                                 {"other", {{"type", "boolean"}, {"description", "the folded remainder of top"}}}});
  s["CostExplorerReport"] = Object({{"metric", Str("billed, effective, list or contracted")},
                                    {"metric_column", Str("the FOCUS column summed")},
                                    {"amortized", {{"type", "boolean"}}},
                                    {"cost_basis", Str("what the metric means")},
                                    {"group_by", Array({{"type", "string"}})},
                                    {"granularity", Str("")},
                                    {"filters", Array({{"type", "object"}})},
                                    {"since", Str("")},
                                    {"until", Str("")},
                                    {"top", Int("")},
                                    {"source", Str("rollup or costs")},
                                    {"rows", Array(Ref("CostExplorerRow"))},
                                    {"totals", money_map},
                                    {"lines", Int("")}});
  s["AllocationRule"] = Object({{"rule_id", Int("")},
                                {"position", Int("1-based order")},
                                {"dimension", Str("team, user, project or model")},
                                {"match_kind", Str("tag, name_prefix or account")},
                                {"match_key", Str("tag key (tag rules)")},
                                {"match_value", Str("tag value ('' or * = any), name prefix, or account id/name")},
                                {"target", Str("the value given; '' on a tag rule = the tag's value")}});
  s["AllocationRuleBody"] = Object({{"dimension", Str("")},
                                    {"match_kind", Str("")},
                                    {"match_key", Str("")},
                                    {"match_value", Str("")},
                                    {"target", Str("")},
                                    {"position", Int("default: the end")}});
  s["AllocationRuleOrder"] = Object({{"rule_ids", Array({{"type", "integer"}})}});
  s["AllocationRuleList"] = Object({{"rules", Array(Ref("AllocationRule"))}});
  s["CostLeaderboardRow"] = Object({{"rank", Int("")},
                                    {"key", Str("")},
                                    {"billing_currency", Str("")},
                                    {"current", Money("")},
                                    {"previous", Money("")},
                                    {"change", Money("current - previous")},
                                    {"change_percent", {{"type", "number"}, {"nullable", true}}}});
  s["CostLeaderboard"] = Object({{"by", Str("")},
                                 {"metric", Str("")},
                                 {"cost_basis", Str("")},
                                 {"window", {{"type", "object"}}},
                                 {"previous_window", {{"type", "object"}}},
                                 {"rows", Array(Ref("CostLeaderboardRow"))}});
  s["RunLeaderboard"] = Object({{"metric", Str("")},
                                {"order", Str("")},
                                {"runs", Array({{"type", "object"}})},
                                {"unpriced", Array({{"type", "object"}})},
                                {"ranked_runs", Int("")},
                                {"runs_without_metric", Int("")}});
  s["RunBilledCost"] = Object({{"run_id", Str("")},
                               {"resource_id", Str("")},
                               {"matched", {{"type", "boolean"}}},
                               {"lines", Int("")},
                               {"billed", money_map},
                               {"effective", money_map},
                               {"estimate", {{"type", "object"}, {"nullable", true}}},
                               {"billed_minus_estimate", money_map}});
}

}  // namespace mlcost::api
