// The paths of the /api/v1 OpenAPI document. Keep in step with the v1_*.cc route registrations:
// api_test.cc fails when a route and this document disagree.
#include "api/openapi.h"
#include "api/openapi_builders.h"

#include <string>
#include <vector>

namespace mlcost::api {
namespace {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders





// One operation. `body` names a request schema ("" = none); `status` is the success status.

// GET|POST /api/v1/<plural>, GET|PUT|DELETE /api/v1/<plural>/{name}.
void AddOrgPaths(Json& paths, const char* plural, const char* schema, const char* list_schema,
                 const char* body_schema) {
  const std::string base = std::string("/api/v1/") + plural;
  const std::string what = std::string(plural, std::string(plural).size() - 1);
  paths[base]["get"] = Op(("List " + std::string(plural) + ", ordered by name").c_str(),
                          {ParamRef("MaxResults"), ParamRef("PageToken")}, "", 200, list_schema);
  paths[base]["post"] = Op(("Create a " + what + " (RESOURCE_ALREADY_EXISTS when the name is taken)").c_str(),
                           {}, body_schema, 201, schema);
  Json name = PathParam("name", "the name (may contain '/')");
  const std::string item = base + "/{name}";
  paths[item]["get"] = Op(("Get a " + what).c_str(), {name}, "", 200, schema);
  paths[item]["put"] = Op(("Create or replace a " + what).c_str(), {name}, body_schema, 200, schema);
  paths[item]["delete"] = Op(("Delete a " + what).c_str(), {name}, "", 200, "Empty");
}

Json Paths() {
  Json p = Json::object();
  p["/healthz"]["get"] = Op("Liveness, version and database schema version", {}, "", 200, "Health");
  p["/api/v1/openapi.json"]["get"] = Op("This document", {}, "", 200, "Empty");
  p["/api/v1/openapi.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
      {"type", "object"}};

  p["/api/v1/experiments"]["get"] = Op("Search experiments",
                                       {ParamRef("Filter"), ParamRef("OrderBy"), ParamRef("View"),
                                        ParamRef("MaxResults"), ParamRef("PageToken")},
                                       "", 200, "ExperimentList");
  p["/api/v1/experiments"]["post"] = Op("Create an experiment", {}, "ExperimentCreate", 201, "Experiment");
  Json eid = PathParam("experiment_id", "decimal experiment id");
  p["/api/v1/experiments/{experiment_id}"]["get"] = Op("Get an experiment", {eid}, "", 200, "Experiment");
  p["/api/v1/experiments/{experiment_id}"]["patch"] =
      Op("Rename an experiment and/or set its tags", {eid}, "ExperimentPatch", 200, "Experiment");
  p["/api/v1/experiments/{experiment_id}"]["delete"] =
      Op("Delete an experiment (and its runs); restorable", {eid}, "", 200, "Empty");
  p["/api/v1/experiments/{experiment_id}/restore"]["post"] =
      Op("Restore a deleted experiment", {eid}, "", 200, "Experiment");

  p["/api/v1/runs"]["get"] =
      Op("Search runs, with their live cost",
         {Repeated("experiment_id", "repeatable; default: every experiment"), ParamRef("Filter"),
          ParamRef("OrderBy"), ParamRef("View"), ParamRef("MaxResults"), ParamRef("PageToken")},
         "", 200, "RunList");
  p["/api/v1/runs"]["post"] =
      Op("Create a run; resource fields become mlcost.* tags", {}, "RunCreate", 201, "Run");
  Json rid = PathParam("run_id", "run id");
  p["/api/v1/runs/{run_id}"]["get"] = Op("Get a run with its cost so far", {rid}, "", 200, "Run");
  p["/api/v1/runs/{run_id}"]["patch"] =
      Op("Update status, end time, name or resource fields", {rid}, "RunPatch", 200, "Run");
  p["/api/v1/runs/{run_id}"]["delete"] = Op("Delete a run; restorable", {rid}, "", 200, "Empty");
  p["/api/v1/runs/{run_id}/restore"]["post"] = Op("Restore a deleted run", {rid}, "", 200, "Run");
  p["/api/v1/runs/{run_id}/metrics"]["post"] =
      Op("Log metric points (at most 1000 per request)", {rid}, "MetricsLog", 200, "Empty");
  p["/api/v1/runs/{run_id}/metrics/{key}"]["get"] =
      Op("A metric's history, by step then timestamp",
         {rid, PathParam("key", "metric key (may contain '/')"),
          Query("max_results", "1..50000, default 25000", {{"type", "integer"}}), ParamRef("PageToken")},
         "", 200, "MetricHistory");
  p["/api/v1/runs/{run_id}/params"]["post"] = Op("Log params (write-once)", {rid}, "ParamsLog", 200, "Empty");
  p["/api/v1/runs/{run_id}/tags"]["put"] = Op("Set tags (merged)", {rid}, "TagsSet", 200, "Empty");
  p["/api/v1/runs/{run_id}/tags/{key}"]["delete"] =
      Op("Delete a tag", {rid, PathParam("key", "tag key (may contain '/')")}, "", 200, "Empty");

  AddOrgPaths(p, "teams", "Team", "TeamList", "TeamBody");
  AddOrgPaths(p, "users", "User", "UserList", "UserBody");
  AddOrgPaths(p, "projects", "Project", "ProjectList", "ProjectBody");

  p["/api/v1/costs/runs"]["get"] = Op(
      "Cost so far of active runs, grouped, exact per currency",
      {Query("group_by", "user, team (default), project or experiment",
             {{"type", "string"}, {"enum", {"user", "team", "project", "experiment"}}}),
       Repeated("experiment_id", "repeatable; default: every experiment"),
       Query("since", "runs started at or after (ISO 8601)", {{"type", "string"}, {"format", "date-time"}}),
       Query("until", "runs started before (ISO 8601)", {{"type", "string"}, {"format", "date-time"}})},
      "", 200, "CostReport");
  AddExplorerOpenApiPaths(p);

  p["/api/v1/ingests"]["post"] =
      Op("Load billing exports (files or folders on the server's machine) into the FOCUS cost table; "
         "a restated account + billing period replaces the earlier one; all or nothing",
         {}, "IngestBody", 201, "IngestReport");
  p["/api/v1/ingests"]["get"] =
      Op("Past ingests, newest first", {Query("max_results", "1..1000, default 50", {{"type", "integer"}})}, "", 200,
         "IngestList");
  p["/api/v1/ingests/{ingest_id}"]["get"] =
      Op("One ingest's report", {PathParam("ingest_id", "the ingest's number")}, "", 200, "IngestReport");
  AddCostInsightPaths(p);
  AddSqlOpenApiPaths(p);
  AddProfileOpenApiPaths(p);
  return p;
}

Json Build() {
  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "mlcost API"},
        {"version", std::string(kMlcostVersion)},
        {"description",
         "mlcost's own REST API. Times are ISO 8601 UTC strings (metric timestamps: integer "
         "milliseconds); money is a decimal string; errors are {error_code, message}. See docs/api.md."}}},
      {"paths", Paths()}};
  Json& c = doc["components"];
  c["schemas"] = V1OpenApiSchemas();
  AddExplorerOpenApiSchemas(c["schemas"]);
  AddCostInsightSchemas(c["schemas"]);
  AddSqlOpenApiSchemas(c["schemas"]);
  AddProfileOpenApiSchemas(c["schemas"]);
  AddRunStopOpenApi(doc["paths"], c["schemas"]);
  AddQuotaOpenApi(doc["paths"], c["schemas"]);
  c["responses"]["Error"] = {{"description", "error (400, 404, 405, 409, 413, 500, ...)"},
                             {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
  c["parameters"]["MaxResults"] =
      Query("max_results", "page size, 1..50000, default 100", {{"type", "integer"}});
  c["parameters"]["PageToken"] = Query("page_token", "next_page_token of the previous page");
  c["parameters"]["Filter"] = Query("filter", "MLflow search syntax, e.g. metrics.loss < 0.5");
  c["parameters"]["OrderBy"] = Repeated("order_by", "repeatable, e.g. start_time DESC");
  c["parameters"]["View"] = Query("view", "active (default), deleted or all",
                                  {{"type", "string"}, {"enum", {"active", "deleted", "all"}}});
  return doc;
}

}  // namespace

const nlohmann::json& V1OpenApiDocument() {
  static const nlohmann::json* doc = new nlohmann::json(Build());
  return *doc;
}

}  // namespace mlcost::api
