// /api/v1/ingests: cloud bills in. POST loads billing exports that are on the server's machine
// (absolute paths: files or folders) into the FOCUS cost table and answers with the per-file
// report (billing/ingest_report.h); GET lists past ingests and their stored reports.
//
// Trust model: the server reads the named files as its own user. It binds 127.0.0.1 by default,
// so only local users, who can read those files themselves, can ask (docs/billing.md).
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"

namespace mlcost::api::v1 {
namespace {

constexpr int64_t kDefaultListed = 50;
constexpr int64_t kMaxListed = 1000;

JsonResult Create(ApiContext& ctx, Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"paths", "provider"}));
  billing::IngestRequest request;
  ASSIGN_OR_RETURN(request.paths, args.StringList("paths"));
  if (request.paths.empty()) return InvalidArgument("field 'paths' must list at least one file or folder");
  for (const std::string& path : request.paths) {
    if (path.empty() || path[0] != '/') {
      return InvalidArgument("path \"" + path + "\" is not absolute; the server resolves paths on its own machine");
    }
  }
  ASSIGN_OR_RETURN(request.provider, args.StringOr("provider", "auto"));
  Result<billing::IngestReport> report = ctx.ingests.Ingest(request);
  if (!report.ok()) {
    // A missing input file is a bad request, not a missing API resource.
    if (report.status().code() == StatusCode::kNotFound) return InvalidArgument(std::string(report.status().message()));
    return report.status();
  }
  return billing::ToJson(*report);
}

Json Summary(const billing::IngestSummary& s) {
  Json report = Json::parse(s.report_json, nullptr, /*allow_exceptions=*/false);
  return report.is_discarded() ? Json{{"ingest_id", s.ingest_id}} : report;
}

JsonResult List(ApiContext& ctx, Args args) {
  ASSIGN_OR_RETURN(std::optional<int64_t> max, args.OptionalInt64("max_results"));
  int64_t limit = max.value_or(kDefaultListed);
  if (limit < 1 || limit > kMaxListed) {
    return InvalidArgument("max_results must be between 1 and " + std::to_string(kMaxListed));
  }
  ASSIGN_OR_RETURN(std::vector<billing::IngestSummary> all, ctx.ingests.List(limit));
  Json items = Json::array();
  for (const billing::IngestSummary& s : all) items.push_back(Summary(s));
  return Json{{"ingests", items}};
}

JsonResult Get(ApiContext& ctx, const std::string& id_text) {
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(id_text, &used);
    if (used != id_text.size()) throw std::invalid_argument(id_text);
  } catch (const std::exception&) {
    return InvalidArgument("ingest id \"" + id_text + "\" is not a number");
  }
  ASSIGN_OR_RETURN(billing::IngestSummary s, ctx.ingests.Get(id));
  return Summary(s);
}

}  // namespace

void RegisterIngestRoutes(Router& router, ApiContext& ctx) {
  AddRoute(router, "POST", "/api/v1/ingests",
           JsonHandler([&ctx](const ApiRequest&, Args args) { return Create(ctx, args); }, 201));
  AddRoute(router, "GET", "/api/v1/ingests",
           JsonHandler([&ctx](const ApiRequest&, Args args) { return List(ctx, args); }));
  AddRoute(router, "GET", "/api/v1/ingests/{ingest_id}",
           JsonHandler([&ctx](const ApiRequest& r, Args) { return Get(ctx, r.captures[0]); }));
}

}  // namespace mlcost::api::v1
