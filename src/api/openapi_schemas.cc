// components.schemas of the /api/v1 OpenAPI document: the record shapes of v1_json.h and the
// request bodies the handlers accept.
#include <string>
#include <vector>

#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {
namespace {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders

Json ListOf(const char* key, const char* item) {
  return Object(
      {{key, Array(Ref(item))}, {"next_page_token", Str("token of the next page; \"\" at the end")}},
      {key, "next_page_token"});
}

// A double: a JSON number, or "NaN" / "Infinity" / "-Infinity".
Json MetricValue() {
  return {{"oneOf", Json::array({Json{{"type", "number"}}, Enum({"NaN", "Infinity", "-Infinity"})})}};
}

// The resource fields shared by RunCreate and RunPatch.
Json ResourceProperties() {
  return {{"instance_type", Str("stored as tag mlcost.instance_type, e.g. p4d.24xlarge")},
          {"provider", Str("stored as tag mlcost.provider: aws, gcp, azure, lambda, ...")},
          {"region", Str("stored as tag mlcost.region, e.g. us-east-1")},
          {"pricing", Enum({"on-demand", "spot"}, "stored as tag mlcost.pricing; default on-demand")},
          {"gpu_count", {{"type", "integer"}, {"minimum", 0}, {"description", "tag mlcost.gpu_count"}}},
          {"accelerator", Str("stored as tag mlcost.accelerator (GCP accelerators priced apart), e.g. A100")},
          {"team", Str("stored as tag mlcost.team; overrides the user's team")},
          {"project", Str("stored as tag mlcost.project; overrides the experiment's mlcost.project tag")}};
}

}  // namespace

Json V1OpenApiSchemas() {
  Json s = Json::object();
  s["Error"] = Object({{"error_code", Str("RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...")},
                       {"message", Str("what is wrong, naming the field")}},
                      {"error_code", "message"});
  s["Empty"] = Object(Json::object());
  s["Health"] = Object({{"status", Str("\"ok\"")},
                        {"version", Str("mlcost version")},
                        {"schema_version", Int("database schema version")}},
                       {"status", "version", "schema_version"});
  s["Experiment"] = Object(
      {{"id", Str("decimal id")},
       {"name", Str("unique name")},
       {"artifact_location", Str("")},
       {"lifecycle_stage", Enum({"active", "deleted"})},
       {"creation_time", Time("")},
       {"last_update_time", Time("")},
       {"tags", StringMap("experiment tags; mlcost.project attributes its runs")}},
      {"id", "name", "artifact_location", "lifecycle_stage", "creation_time", "last_update_time", "tags"});
  s["ExperimentList"] = ListOf("experiments", "Experiment");
  s["ExperimentCreate"] = Object(
      {{"name", Str("")}, {"artifact_location", Str("default: the server's root")}, {"tags", StringMap("")}},
      {"name"});
  s["ExperimentPatch"] = Object({{"name", Str("new name")}, {"tags", StringMap("tags to set (merged)")}});
  s["MetricPoint"] = Object(
      {{"value", MetricValue()}, {"step", Int("")}, {"timestamp", Int("milliseconds since the epoch")}},
      {"value", "step", "timestamp"});
  s["Resources"] = Object({{"instance_type", Nullable(Str(""))},
                           {"provider", Nullable(Str(""))},
                           {"region", Nullable(Str(""))},
                           {"pricing", Nullable(Str(""))},
                           {"gpu_count", Nullable(Int(""))},
                           {"accelerator", Nullable(Str(""))}});
  s["Attribution"] = Object({{"user", Str("run user, else unallocated")},
                             {"team", Str("tag mlcost.team, else the user's team, else unallocated")},
                             {"project", Str("tag mlcost.project, else experiment tag, else unallocated")}},
                            {"user", "team", "project"});
  s["Attempt"] = Object({{"attempt", Int("1, 2, ... (restarts)")},
                         {"start_time", Time("")},
                         {"end_time", Nullable(Time(""))},
                         {"end_cause", Nullable(Str("finished, failed, killed, crashed, oom_killed, preempted, "
                                                    "interrupted, pruned"))},
                         {"duration_seconds", Int("billable seconds of this attempt (so far, while it runs)")},
                         {"cost", Nullable(Str("this attempt's cost (decimal string); null when the price is unknown"))}},
                        {"attempt", "start_time", "end_time", "end_cause", "duration_seconds", "cost"});
  s["Cost"] = Object(
      {{"hourly_price", Money("price per hour of the instance, exact")},
       {"currency", Str("ISO 4217, e.g. USD")},
       {"price_source", Str("catalog file or built-in table, region, pricing model")},
       {"pricing", Enum({"on-demand", "spot"})},
       {"note", Str("caveats about the price, \"\" when none")},
       {"billable_seconds", Int("sum over attempts, each rounded up to a second")},
       {"cost_so_far", Money("hourly_price * billable_seconds / 3600, exact")},
       {"final", Bool("true once the run has ended (FINISHED, FAILED, KILLED)")},
       {"as_of", Time("the instant the cost is evaluated at")}},
      {"hourly_price", "currency", "price_source", "billable_seconds", "cost_so_far", "final", "as_of"});
  Json cost = Ref("Cost");
  cost["nullable"] = true;
  s["Run"] = Object({{"id", Str("")},
                     {"name", Str("")},
                     {"experiment_id", Str("")},
                     {"user", Str("")},
                     {"status", Enum({"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"})},
                     {"start_time", Nullable(Time(""))},
                     {"end_time", Nullable(Time(""))},
                     {"artifact_uri", Str("")},
                     {"lifecycle_stage", Enum({"active", "deleted"})},
                     {"params", StringMap("")},
                     {"tags", StringMap("")},
                     {"metrics",
                      {{"type", "object"},
                       {"additionalProperties", Ref("MetricPoint")},
                       {"description", "latest value of each metric"}}},
                     {"resources", Ref("Resources")},
                     {"attribution", Ref("Attribution")},
                     {"attempts", Array(Ref("Attempt"))},
                     {"cost", std::move(cost)},
                     {"cost_reason", Str("why cost is null; \"\" when it is known")}},
                    {"id", "name", "experiment_id", "user", "status", "start_time", "end_time",
                     "artifact_uri", "lifecycle_stage", "params", "tags", "metrics", "resources",
                     "attribution", "attempts", "cost", "cost_reason"});
  s["RunList"] = ListOf("runs", "Run");
  Json create = ResourceProperties();
  create["experiment_id"] = Str("default \"0\" (Default)");
  create["name"] = Str("default: generated");
  create["user"] = Str("");
  create["start_time"] = Time("default: now; also integer milliseconds");
  create["tags"] = StringMap("run tags; a resource field wins over the same mlcost.* key here");
  s["RunCreate"] = Object(std::move(create));
  Json patch = ResourceProperties();
  for (auto& [key, value] : patch.items()) value["nullable"] = true;  // null clears the tag
  patch["status"] =
      Enum({"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"}, "FINISHED/FAILED/KILLED end it");
  patch["end_time"] = Time("default: now when status becomes terminal; also integer milliseconds");
  patch["name"] = Str("new run name");
  patch["end_cause"] = Enum({"finished", "failed", "killed", "crashed", "oom_killed", "preempted", "interrupted", "pruned"},
                            "why the open attempt ended; only with a terminal status; default: the status");
  patch["attempt_start_time"] =
      Time("with status RUNNING on an ended run: when the new attempt began (default now); also integer ms");
  s["RunPatch"] = Object(std::move(patch));
  s["MetricsLog"] =
      Object({{"metrics",
               Array(Object({{"key", Str("")},
                             {"value", MetricValue()},
                             {"step", Int("default 0")},
                             {"timestamp", Int("milliseconds; default now; an ISO 8601 string is accepted")}},
                            {"key", "value"}))}},
             {"metrics"});
  s["MetricHistory"] =
      Object({{"key", Str("")}, {"metrics", Array(Ref("MetricPoint"))}, {"next_page_token", Str("")}},
             {"key", "metrics", "next_page_token"});
  s["ParamsLog"] = Object(
      {{"params", StringMap("write-once: a different value for a logged key is refused")}}, {"params"});
  s["TagsSet"] = Object({{"tags", StringMap("")}}, {"tags"});
  s["Team"] = Object({{"name", Str("")}, {"description", Str("")}, {"creation_time", Time("")}},
                     {"name", "description", "creation_time"});
  s["TeamList"] = ListOf("teams", "Team");
  s["TeamBody"] =
      Object({{"name", Str("required by POST; must match the path in PUT")}, {"description", Str("")}});
  s["User"] = Object(
      {{"name", Str("")}, {"team", Nullable(Str(""))}, {"email", Str("")}, {"creation_time", Time("")}},
      {"name", "team", "email", "creation_time"});
  s["UserList"] = ListOf("users", "User");
  s["UserBody"] = Object({{"name", Str("required by POST; must match the path in PUT")},
                          {"team", Nullable(Str("an existing team"))},
                          {"email", Str("")}});
  s["Project"] = Object(
      {{"name", Str("")}, {"team", Nullable(Str(""))}, {"description", Str("")}, {"creation_time", Time("")}},
      {"name", "team", "description", "creation_time"});
  s["ProjectList"] = ListOf("projects", "Project");
  s["ProjectBody"] = Object({{"name", Str("required by POST; must match the path in PUT")},
                             {"team", Nullable(Str("an existing team"))},
                             {"description", Str("")}});
  s["MoneyByCurrency"] = {{"type", "object"},
                          {"additionalProperties", Money("")},
                          {"description", "currency -> exact decimal amount"}};
  s["CostGroup"] = Object({{"key", Str("user, team, project or experiment id; unallocated when unknown")},
                           {"name", Str("experiment name (group_by=experiment only)")},
                           {"runs", Int("runs in the group")},
                           {"priced_runs", Int("runs with a known price")},
                           {"billable_seconds", Int("of the priced runs")},
                           {"cost", Ref("MoneyByCurrency")}},
                          {"key", "runs", "priced_runs", "billable_seconds", "cost"});
  s["CostReport"] = Object({{"group_by", Str("")},
                            {"as_of", Time("")},
                            {"groups", Array(Ref("CostGroup"))},
                            {"runs", Int("runs counted")},
                            {"unpriced_runs", Int("runs without a known price")},
                            {"total", Ref("MoneyByCurrency")}},
                           {"group_by", "as_of", "groups", "runs", "unpriced_runs", "total"});

  s["IngestBody"] = Object(
      {{"paths", Array(Str("absolute path of a file (.csv, .csv.gz, .parquet) or folder on the server"))},
       {"provider", Enum({"auto", "focus", "focus-contract-commitment", "aws-cur", "gcp", "azure", "oci"},
                         "source format; auto (default) detects it from the header")}},
      {"paths"});
  s["IngestFile"] = Object(
      {{"path", Str("")},
       {"provider", Str("the detected or forced source format")},
       {"source_cost_column", Str("the source column the cost totals come from")},
       {"rows_read", Int("records in the file")},
       {"rows_loaded", Int("cost lines stored")},
       {"rows_rejected", Int("lines a reject rule removed (see rules)")},
       {"billing_periods", Array(Object({{"start", Time("inclusive")}, {"end", Time("exclusive")}}))},
       {"accounts", Array(Str("BillingAccountId (at most 50 listed)"))},
       {"account_count", Int("distinct BillingAccountId")},
       {"currency", Nullable(Str("the billing currency; null when the file has several"))},
       {"currencies", Array(Str(""))},
       {"billed_cost", Money("sum of BilledCost of the loaded lines, exact")},
       {"effective_cost", Money("sum of EffectiveCost (amortized), exact")},
       {"list_cost", Money("sum of ListCost, exact")},
       {"rejected_billed_cost", Money("BilledCost of the rejected lines")},
       {"unmapped_columns", Array(Str("FOCUS columns this file cannot fill (NULL)"))},
       {"contract_commitment_cost", Money("FOCUS 1.3 Contract Commitment files only")}},
      {"path", "provider", "rows_read", "rows_loaded", "billed_cost", "effective_cost", "list_cost"});
  s["IngestRule"] = Object({{"rule", Str("R01..R16, see docs/billing.md")},
                            {"description", Str("")},
                            {"action", Enum({"flag", "reject"})},
                            {"rows", Int("lines that break the rule")},
                            {"examples", Array(Str("file:line"))}});
  s["IngestReport"] = Object({{"ingest_id", Int("")},
                              {"started_at", Time("")},
                              {"finished_at", Time("")},
                              {"files", Array(Ref("IngestFile"))},
                              {"rules", Array(Ref("IngestRule"))},
                              {"rows_replaced", Int("lines of earlier ingests this one restated")}},
                             {"ingest_id", "files", "rules", "rows_replaced"});
  s["IngestList"] = Object({{"ingests", Array(Ref("IngestReport"))}}, {"ingests"});
  return s;
}

}  // namespace mlcost::api
