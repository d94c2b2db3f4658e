#include "api/v1_json.h"

#include <charconv>

#include "api/request_args.h"
#include "api/v1_common.h"
#include "common/time_util.h"

namespace mlcost::api::v1 {
namespace {

Json OptionalString(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

Json TagOrNull(const std::vector<KeyValue>& tags, std::string_view key) {
  const std::string* v = FindKey(tags, key);
  if (v == nullptr) return nullptr;
  return *v;
}

// mlcost.gpu_count as an integer; null when absent or not a non-negative integer.
Json GpuCount(const std::vector<KeyValue>& tags) {
  const std::string* v = FindKey(tags, pricing::kTagGpuCount);
  if (v == nullptr) return nullptr;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 0) return nullptr;
  return n;
}

}  // namespace

Json ExperimentJson(const Experiment& e) {
  return {{"id", e.experiment_id},
          {"name", e.name},
          {"artifact_location", e.artifact_location},
          {"lifecycle_stage", e.lifecycle_stage},
          {"creation_time", IsoTime(e.creation_time_ms)},
          {"last_update_time", IsoTime(e.last_update_time_ms)},
          {"tags", KeyValueObject(e.tags)}};
}

Json TeamJson(const Team& t) {
  return {{"name", t.name}, {"description", t.description}, {"creation_time", IsoTime(t.creation_time_ms)}};
}

Json UserJson(const User& u) {
  return {{"name", u.name},
          {"team", OptionalString(u.team)},
          {"email", u.email},
          {"creation_time", IsoTime(u.creation_time_ms)}};
}

Json ProjectJson(const Project& p) {
  return {{"name", p.name},
          {"team", OptionalString(p.team)},
          {"description", p.description},
          {"creation_time", IsoTime(p.creation_time_ms)}};
}

Json MetricPointJson(const Metric& m) {
  return {{"value", DoubleToJson(m.value)}, {"step", m.step}, {"timestamp", m.timestamp_ms}};
}

bool IsFinalStatus(std::string_view status) {
  return status == "FINISHED" || status == "FAILED" || status == "KILLED";
}

int64_t CostTimeMs(const RunInfo& info, const std::vector<RunAttempt>& attempts, int64_t now_ms) {
  if (!IsFinalStatus(info.status)) return now_ms;
  std::optional<int64_t> end = info.end_time_ms;
  for (const RunAttempt& a : attempts) {
    if (a.end_time_ms && (!end || *a.end_time_ms > *end)) end = a.end_time_ms;
  }
  return end.value_or(now_ms);
}

Result<EvaluatedRun> EvaluateRun(ApiContext& ctx, AttributionResolver& resolver, const Run& run) {
  EvaluatedRun e;
  ASSIGN_OR_RETURN(e.attempts, ctx.tracking.GetAttempts(run.info.run_id));
  e.final = IsFinalStatus(run.info.status);
  e.as_of_ms = CostTimeMs(run.info, e.attempts, ctx.clock.Now() / kMicrosPerMilli);
  e.cost = pricing::ComputeRunCost(ctx.prices, run.tags, e.attempts, e.as_of_ms);
  ASSIGN_OR_RETURN(e.attribution, resolver.Resolve(run));
  return e;
}

Json CostJson(const EvaluatedRun& e) {
  if (!e.cost.known) return nullptr;
  const pricing::PriceQuote& q = e.cost.quote;
  return {{"hourly_price", q.hourly_price.ToString()},
          {"currency", q.currency},
          {"price_source", q.price_source},
          {"pricing", q.pricing},
          {"note", q.note},
          {"billable_seconds", e.cost.billable_seconds},
          {"cost_so_far", e.cost.cost_so_far.ToString()},
          {"final", e.final},
          {"as_of", IsoTime(e.as_of_ms)}};
}

Json RunJson(const Run& run, const EvaluatedRun& e) {
  const RunInfo& info = run.info;
  Json metrics = Json::object();
  for (const Metric& m : run.metrics) metrics[m.key] = MetricPointJson(m);
  Json attempts = Json::array();
  for (const RunAttempt& a : e.attempts) {
    int64_t seconds = pricing::BillableSeconds({a}, e.as_of_ms);
    // Each attempt rounded on its own, so the attempts' sum may differ from cost_so_far in the
    // last (12th) decimal.
    Json cost = e.cost.known ? Json(e.cost.quote.hourly_price.MulInt(seconds).DivInt(3600).ToString()) : Json(nullptr);
    attempts.push_back({{"attempt", a.attempt},
                        {"start_time", IsoTime(a.start_time_ms)},
                        {"end_time", IsoTime(a.end_time_ms)},
                        {"end_cause", a.end_cause.empty() ? Json(nullptr) : Json(a.end_cause)},
                        {"duration_seconds", seconds},
                        {"cost", std::move(cost)}});
  }
  const std::vector<KeyValue>& tags = run.tags;
  return {{"id", info.run_id},
          {"name", info.run_name},
          {"experiment_id", info.experiment_id},
          {"user", info.user_id},
          {"status", info.status},
          {"start_time", IsoTime(info.start_time_ms)},
          {"end_time", IsoTime(info.end_time_ms)},
          {"artifact_uri", info.artifact_uri},
          {"lifecycle_stage", info.lifecycle_stage},
          {"params", KeyValueObject(run.params)},
          {"tags", KeyValueObject(tags)},
          {"metrics", std::move(metrics)},
          {"resources",
           {{"instance_type", TagOrNull(tags, pricing::kTagInstanceType)},
            {"provider", TagOrNull(tags, pricing::kTagProvider)},
            {"region", TagOrNull(tags, pricing::kTagRegion)},
            {"pricing", TagOrNull(tags, pricing::kTagPricing)},
            {"gpu_count", GpuCount(tags)},
            {"accelerator", TagOrNull(tags, pricing::kTagAccelerator)}}},
          {"attribution",
           {{"user", e.attribution.user}, {"team", e.attribution.team}, {"project", e.attribution.project}}},
          {"attempts", std::move(attempts)},
          {"cost", CostJson(e)},
          {"cost_reason", e.cost.known ? std::string() : e.cost.reason}};
}

Result<Json> LoadRunJson(ApiContext& ctx, AttributionResolver& resolver, const Run& run) {
  ASSIGN_OR_RETURN(EvaluatedRun e, EvaluateRun(ctx, resolver, run));
  return RunJson(run, e);
}

}  // namespace mlcost::api::v1
