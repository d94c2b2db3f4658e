// The OpenAPI entries of /api/v1/sql and /api/v1/queries (v1_sql.cc), kept beside each other so
// the SQL console's document changes in one file.
#include <string>
#include <vector>

#include "api/openapi.h"
#include "api/openapi_builders.h"

namespace mlcost::api {
namespace {

using namespace oas;  // NOLINT(google-build-using-namespace): the document builders



// Op with its description first, as this file's long descriptions read best.
Json OpD(const char* summary, const char* description, std::vector<Json> params, const std::string& body, int status,
         const std::string& response) {
  return Op(summary, std::move(params), body, status, response, description);
}

}  // namespace

void AddSqlOpenApiPaths(Json& p) {
  p["/api/v1/sql"]["post"] = OpD(
      "Run one read-only SELECT over the analyst views (docs/sql.md)",
      "Only a single SELECT (WITH, VALUES, DESCRIBE/SUMMARIZE of a query) over mlcost's tables and views; no "
      "file, setting or catalog access. 400: bad SQL (DuckDB's message); 403 PERMISSION_DENIED: a forbidden "
      "statement, table or function, named; 408 QUERY_TIMEOUT: the time limit stopped it.",
      {}, "SqlRequest", 200, "SqlResult");
  p["/api/v1/sql"]["post"]["responses"]["408"] = {
      {"description", "the time limit stopped the query"},
      {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
  p["/api/v1/queries"]["get"] =
      OpD("List saved queries with their last run", "", {}, "", 200, "SavedQueryList");
  p["/api/v1/queries"]["post"] =
      OpD("Save a query to export as CSV or Parquet, on demand or every interval",
         "The SQL is checked as /api/v1/sql checks it. With an interval the first run is due at once.", {},
         "SavedQueryCreate", 201, "SavedQuery");
  Json name = {{"name", "name"},
               {"in", "path"},
               {"required", true},
               {"description", "the query's name"},
               {"schema", {{"type", "string"}}}};
  p["/api/v1/queries/{name}"]["get"] = OpD("Get a saved query", "", {name}, "", 200, "SavedQuery");
  p["/api/v1/queries/{name}"]["delete"] =
      OpD("Delete a saved query (its last file stays)", "", {name}, "", 200, "Empty");
  p["/api/v1/queries/{name}/run"]["post"] =
      OpD("Run a saved query now and write its file",
         "Answers the query with its last run recorded; a failed run is 200 with last_status \"error\".",
         {name}, "", 200, "SavedQuery");
}

void AddSqlOpenApiSchemas(Json& s) {
  s["SqlRequest"] = Object({{"sql", Str("one SELECT statement")},
                            {"max_rows", Int("rows to return at most; at most the server's --sql-max-rows")},
                            {"timeout_ms", Int("time limit; at most the server's --sql-timeout")}},
                           {"sql"});
  s["SqlColumn"] =
      Object({{"name", Str("")}, {"type", Str("DuckDB type, e.g. DECIMAL(38,12)")}}, {"name", "type"});
  s["SqlResult"] = Object(
      {{"columns", {{"type", "array"}, {"items", Ref("SqlColumn")}}},
       {"rows",
        {{"type", "array"},
         {"description",
          "one array per row; DECIMAL and 128-bit integers as exact strings, times as ISO 8601 UTC, MAP and "
          "STRUCT as objects, NULL as null"},
         {"items", {{"type", "array"}, {"items", Json::object()}}}}},
       {"row_count", Int("rows returned")},
       {"truncated", {{"type", "boolean"}, {"description", "the query had more rows than max_rows"}}}},
      {"columns", "rows", "row_count", "truncated"});
  s["SavedQueryCreate"] = Object(
      {{"name", Str("1..64 of [A-Za-z0-9_-]; the output file is <output_dir>/<name>.<format>")},
       {"sql", Str("one SELECT")},
       {"format", {{"type", "string"}, {"enum", {"csv", "parquet"}}, {"description", "default csv"}}},
       {"output_dir", Str("folder relative to the server's export root (--export-dir); default the root")},
       {"interval",
        {{"description",
          "\"15m\", \"1h\", \"1d\", \"every 5 minutes\", \"hourly\", \"daily\" or seconds (>= 60); "
          "absent: only on demand"},
         {"oneOf", Json::array({Json{{"type", "string"}}, Json{{"type", "integer"}}})}}}},
      {"name", "sql"});
  s["SavedQuery"] = Object({{"name", Str("")},
                            {"sql", Str("")},
                            {"format", Str("csv or parquet")},
                            {"output_dir", Str("")},
                            {"interval_seconds", Nullable(Int("null: only on demand"))},
                            {"created_at", Time("")},
                            {"next_run_at", Nullable(Time("when the scheduler runs it next"))},
                            {"last_run_at", Nullable(Time(""))},
                            {"last_status", Nullable(Str("ok or error"))},
                            {"last_row_count", Nullable(Int("rows written by the last run"))},
                            {"last_error", Nullable(Str("why the last run failed"))},
                            {"last_output", Nullable(Str("file written, relative to the export root"))}},
                           {"name", "sql", "format", "output_dir", "created_at"});
  s["SavedQueryList"] = Object({{"queries", {{"type", "array"}, {"items", Ref("SavedQuery")}}}}, {"queries"});
}

}  // namespace mlcost::api
