// POST /api/v1/sql: {"sql": "...", "max_rows"?: n, "timeout_ms"?: n} ->
// {"columns": [{"name", "type"}], "rows": [[...]], "row_count": n, "truncated": bool}.
// Errors: 400 with DuckDB's message for bad SQL; 403 PERMISSION_DENIED naming what is forbidden;
// 408 QUERY_TIMEOUT when the time limit stopped it.
// /api/v1/queries: saved queries (sqlconsole/saved_query.h) and their last run.
#include "api/v1_sql.h"

#include "api/http_error.h"
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "common/time_util.h"

namespace mlcost::api {
namespace {

using v1::Args;
using v1::Json;
using v1::JsonResult;

Json OptionalTime(std::optional<Micros> t) { return t ? Json(FormatIso8601(*t)) : Json(nullptr); }

Json OptionalInt(std::optional<int64_t> v) { return v ? Json(*v) : Json(nullptr); }

Json OptionalText(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json SavedQueryJson(const sqlconsole::SavedQuery& q) {
  return {{"name", q.name},
          {"sql", q.sql},
          {"format", std::string(sqlconsole::ExportFormatName(q.format))},
          {"output_dir", q.output_dir},
          {"interval_seconds", OptionalInt(q.interval_seconds)},
          {"created_at", FormatIso8601(q.created_at)},
          {"next_run_at", OptionalTime(q.next_run_at)},
          {"last_run_at", OptionalTime(q.last_run_at)},
          {"last_status", OptionalText(q.last_status)},
          {"last_row_count", OptionalInt(q.last_row_count)},
          {"last_error", OptionalText(q.last_error)},
          {"last_output", OptionalText(q.last_output)}};
}

Result<int64_t> PositiveOr(Args args, const char* key, int64_t fallback) {
  ASSIGN_OR_RETURN(std::optional<int64_t> v, args.OptionalInt64(key));
  if (!v) return fallback;
  if (*v <= 0) return InvalidArgument(std::string(key) + " must be a positive integer");
  return *v;
}

ApiResponse RunSqlUnguarded(SqlRouteContext& ctx, const ApiRequest& request) {
  auto parsed = RequestArgs::From(request);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const RequestArgs& args = *parsed;
  Status s = v1::CheckKnownFields(args, {"sql", "max_rows", "timeout_ms"});
  if (!s.ok()) return ErrorResponse(s);
  auto sql = args.RequiredString("sql");
  if (!sql.ok()) return ErrorResponse(sql.status());
  auto max_rows = PositiveOr(args, "max_rows", 0);
  if (!max_rows.ok()) return ErrorResponse(max_rows.status());
  auto timeout_ms = PositiveOr(args, "timeout_ms", 0);
  if (!timeout_ms.ok()) return ErrorResponse(timeout_ms.status());
  auto result = ctx.sql.Query(*sql, sqlconsole::SqlLimits{*timeout_ms, *max_rows});
  if (!result.ok()) {
    if (sqlconsole::IsTimeout(result.status()))
      return ErrorResponse(408, "QUERY_TIMEOUT", result.status().message());
    return ErrorResponse(result.status());
  }
  const size_t row_count = result->rows.size();
  Json body = {{"columns", std::move(result->columns)},
               {"rows", std::move(result->rows)},
               {"row_count", row_count},
               {"truncated", result->truncated}};
  ApiResponse response;
  response.body = Dump(body);
  return response;
}

// Nothing should throw past the adapters; if something does, answer 500 and keep serving.
ApiResponse RunSql(SqlRouteContext& ctx, const ApiRequest& request) {
  try {
    return RunSqlUnguarded(ctx, request);
  } catch (const std::exception& e) {
    return ErrorResponse(Internal(std::string("unexpected error: ") + e.what()));
  }
}

Result<sqlconsole::SavedQuery> ParseSavedQuery(SqlRouteContext& ctx, Args args) {
  RETURN_IF_ERROR(v1::CheckKnownFields(args, {"name", "sql", "format", "output_dir", "interval"}));
  sqlconsole::SavedQuery q;
  ASSIGN_OR_RETURN(q.name, args.RequiredString("name"));
  RETURN_IF_ERROR(sqlconsole::ValidateQueryName(q.name));
  ASSIGN_OR_RETURN(q.sql, args.RequiredString("sql"));
  ASSIGN_OR_RETURN(std::string format, args.StringOr("format", "csv"));
  ASSIGN_OR_RETURN(q.format, sqlconsole::ParseExportFormat(format));
  ASSIGN_OR_RETURN(q.output_dir, args.StringOr("output_dir", ""));
  RETURN_IF_ERROR(sqlconsole::ValidateOutputDir(q.output_dir));
  const Json& interval = args.Raw("interval");
  if (interval.is_number_integer()) {
    const int64_t seconds = interval.get<int64_t>();
    if (seconds < sqlconsole::kMinIntervalSeconds || seconds > sqlconsole::kMaxIntervalSeconds) {
      return InvalidArgument("interval " + std::to_string(seconds) + " s is outside 60 s .. 366 days");
    }
    q.interval_seconds = seconds;
  } else if (interval.is_string()) {
    ASSIGN_OR_RETURN(q.interval_seconds, sqlconsole::ParseInterval(interval.get<std::string>()));
  } else if (!interval.is_null()) {
    return InvalidArgument("interval must be a string such as \"1h\" or \"every 15 minutes\", or seconds");
  }
  RETURN_IF_ERROR(ctx.sql.Check(q.sql));
  q.created_at = ctx.clock.Now();
  // First run as soon as the scheduler looks: a BI tool gets its file without waiting a period.
  if (q.interval_seconds) q.next_run_at = q.created_at;
  return q;
}

}  // namespace

void RegisterSqlRoutes(Router& router, SqlRouteContext& ctx) {
  v1::AddRoute(router, "POST", "/api/v1/sql",
               [&ctx](const ApiRequest& request) { return RunSql(ctx, request); });
  v1::AddRoute(router, "GET", "/api/v1/queries", JsonHandler([&ctx](const ApiRequest&, Args) -> JsonResult {
                 ASSIGN_OR_RETURN(auto all, ctx.queries.List());
                 Json list = Json::array();
                 for (const auto& q : all) list.push_back(SavedQueryJson(q));
                 return Json{{"queries", list}};
               }));
  v1::AddRoute(router, "POST", "/api/v1/queries",
               JsonHandler(
                   [&ctx](const ApiRequest&, Args args) -> JsonResult {
                     ASSIGN_OR_RETURN(sqlconsole::SavedQuery q, ParseSavedQuery(ctx, args));
                     RETURN_IF_ERROR(ctx.queries.Create(q));
                     ASSIGN_OR_RETURN(q, ctx.queries.Get(q.name));
                     return SavedQueryJson(q);
                   },
                   201));
  v1::AddRoute(router, "GET", "/api/v1/queries/{name}",
               JsonHandler([&ctx](const ApiRequest& r, Args) -> JsonResult {
                 ASSIGN_OR_RETURN(auto q, ctx.queries.Get(r.captures[0]));
                 return SavedQueryJson(q);
               }));
  v1::AddRoute(router, "DELETE", "/api/v1/queries/{name}",
               JsonHandler([&ctx](const ApiRequest& r, Args) -> JsonResult {
                 RETURN_IF_ERROR(ctx.queries.Delete(r.captures[0]));
                 return Json::object();
               }));
  v1::AddRoute(router, "POST", "/api/v1/queries/{name}/run",
               JsonHandler([&ctx](const ApiRequest& r, Args) -> JsonResult {
                 ASSIGN_OR_RETURN(auto q, ctx.scheduler.RunNow(r.captures[0]));
                 return SavedQueryJson(q);
               }));
}

}  // namespace mlcost::api
