// Budgets and quotas (docs/quotas.md):
//   GET    /api/v1/quotas                      {"quotas": [Q, ...]}
//   POST   /api/v1/quotas                      body Q (without id) -> 201 Q; 409 naming a conflicting quota
//   GET    /api/v1/quotas/{quota_id}           Q
//   PUT    /api/v1/quotas/{quota_id}           the whole body again -> Q
//   DELETE /api/v1/quotas/{quota_id}           {}
//   GET    /api/v1/quotas/{quota_id}/status    use, limit, fraction, forecast, state now
//   GET    /api/v1/quotas/audit                ?quota_id&action&run_id&since&until&max_results
#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_quota_engine.h"
#include "quota/quota_store.h"
#include "tracking/read_pool.h"

namespace mlcost::api::v1 {
namespace {

Result<int64_t> QuotaId(const std::string& text) {
  char* end = nullptr;
  const long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0) {
    return InvalidArgument("quota id '" + text + "' is not a positive integer");
  }
  return static_cast<int64_t>(id);
}

Result<quota::Quota> QuotaFromBody(ApiContext& ctx, Args args) {
  QuotaEngine engine(ctx);
  ASSIGN_OR_RETURN(std::set<std::string> currencies, engine.KnownCurrencies());
  return quota::ParseQuota(args.json(), quota::QuotaParseContext{currencies});
}

JsonResult List(ApiContext& ctx) {
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(std::vector<quota::Quota> quotas, quota::QuotaStore::List(*conn));
  Json out = Json::array();
  for (const quota::Quota& q : quotas) out.push_back(quota::QuotaToJson(q));
  return Json{{"quotas", std::move(out)}};
}

JsonResult Create(ApiContext& ctx, Args args) {
  ASSIGN_OR_RETURN(quota::Quota q, QuotaFromBody(ctx, args));
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(q, quota::QuotaStore::Create(*conn, q, ctx.clock.Now()));
  return quota::QuotaToJson(q);
}

JsonResult Get(ApiContext& ctx, const std::string& id_text) {
  ASSIGN_OR_RETURN(int64_t id, QuotaId(id_text));
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(quota::Quota q, quota::QuotaStore::Get(*conn, id));
  return quota::QuotaToJson(q);
}

JsonResult Put(ApiContext& ctx, const std::string& id_text, Args args) {
  ASSIGN_OR_RETURN(int64_t id, QuotaId(id_text));
  ASSIGN_OR_RETURN(quota::Quota q, QuotaFromBody(ctx, args));
  q.quota_id = id;
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(q, quota::QuotaStore::Update(*conn, q, ctx.clock.Now()));
  return quota::QuotaToJson(q);
}

JsonResult Delete(ApiContext& ctx, const std::string& id_text) {
  ASSIGN_OR_RETURN(int64_t id, QuotaId(id_text));
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  RETURN_IF_ERROR(quota::QuotaStore::Delete(*conn, id, ctx.clock.Now()));
  return Json::object();
}

JsonResult StatusOf(ApiContext& ctx, const std::string& id_text) {
  ASSIGN_OR_RETURN(int64_t id, QuotaId(id_text));
  quota::Quota q;
  {
    ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
    ASSIGN_OR_RETURN(q, quota::QuotaStore::Get(*conn, id));
  }
  QuotaEngine engine(ctx);
  ASSIGN_OR_RETURN(quota::QuotaStatus s, engine.StatusOf(q));
  return quota::QuotaStatusToJson(q, s, ctx.clock.Now());
}

JsonResult Audit(ApiContext& ctx, Args args) {
  quota::AuditFilter f;
  ASSIGN_OR_RETURN(std::optional<std::string> quota_id, args.OptionalString("quota_id"));
  if (quota_id) {
    ASSIGN_OR_RETURN(f.quota_id, QuotaId(*quota_id));
  }
  ASSIGN_OR_RETURN(f.action, args.StringOr("action", ""));
  static const std::set<std::string> kActions = {quota::kAuditCreated,    quota::kAuditUpdated,
                                                 quota::kAuditDeleted,    quota::kAuditAlertSent,
                                                 quota::kAuditAlertFailed, quota::kAuditRunBlocked,
                                                 quota::kAuditRunStop};
  if (!f.action.empty() && !kActions.count(f.action)) {
    std::string names;
    for (const std::string& a : kActions) names += (names.empty() ? "" : ", ") + a;
    return InvalidArgument("unknown action '" + f.action + "' in parameter 'action': expected one of " + names);
  }
  ASSIGN_OR_RETURN(f.run_id, args.StringOr("run_id", ""));
  ASSIGN_OR_RETURN(std::optional<int64_t> since, OptionalTimeMs(args, "since"));
  ASSIGN_OR_RETURN(std::optional<int64_t> until, OptionalTimeMs(args, "until"));
  if (since) f.since = *since * kMicrosPerMilli;
  if (until) f.until = *until * kMicrosPerMilli;
  ASSIGN_OR_RETURN(Page page, ParsePage(args, 1000));
  f.max_results = page.max_results;
  ASSIGN_OR_RETURN(auto conn, ctx.tracking.reads().Acquire());
  ASSIGN_OR_RETURN(std::vector<quota::AuditEntry> entries, quota::QuotaStore::ListAudit(*conn, f));
  Json out = Json::array();
  for (const quota::AuditEntry& e : entries) out.push_back(quota::AuditToJson(e));
  return Json{{"entries", std::move(out)}};
}

}  // namespace

void RegisterQuotaRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  AddRoute(router, "GET", "/api/v1/quotas", JsonHandler([c](const ApiRequest&, Args) { return List(*c); }));
  AddRoute(router, "POST", "/api/v1/quotas",
           JsonHandler([c](const ApiRequest&, Args args) { return Create(*c, args); }, 201));
  // Before /quotas/{quota_id}: "audit" is not an id.
  AddRoute(router, "GET", "/api/v1/quotas/audit", JsonHandler([c](const ApiRequest&, Args args) { return Audit(*c, args); }));
  AddRoute(router, "GET", "/api/v1/quotas/{quota_id}",
           JsonHandler([c](const ApiRequest& r, Args) { return Get(*c, r.captures[0]); }));
  AddRoute(router, "PUT", "/api/v1/quotas/{quota_id}",
           JsonHandler([c](const ApiRequest& r, Args args) { return Put(*c, r.captures[0], args); }));
  AddRoute(router, "DELETE", "/api/v1/quotas/{quota_id}",
           JsonHandler([c](const ApiRequest& r, Args) { return Delete(*c, r.captures[0]); }));
  AddRoute(router, "GET", "/api/v1/quotas/{quota_id}/status",
           JsonHandler([c](const ApiRequest& r, Args) { return StatusOf(*c, r.captures[0]); }));
}

}  // namespace mlcost::api::v1
