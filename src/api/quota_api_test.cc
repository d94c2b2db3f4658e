// Quotas through the router with a FakeClock: use clipped to UTC calendar periods, the period-end
// forecast, block on run creation (native and MLflow), stop through should-stop, audit rows.
#include <gtest/gtest.h>

#include <map>

#include "api/api_test_fixture.h"
#include "api/v1_quota_engine.h"
#include "quota/quota_store.h"
#include "tracking/read_pool.h"

namespace mlcost::api {
namespace {

// c3.2xlarge on-demand in us-east-1 in the AWS sample catalog: 0.42 USD per hour.
const json kC3 = {{"instance_type", "c3.2xlarge"}, {"provider", "aws"}, {"region", "us-east-1"}};

class QuotaApiTest : public ApiTest {
 protected:
  int64_t NewQuota(const json& body) { return Expect(201, "POST", "/api/v1/quotas", body)["quota_id"].get<int64_t>(); }
  json Status(int64_t id) { return Get("/api/v1/quotas/" + std::to_string(id) + "/status"); }
  json TeamRun(const std::string& team) {
    json body = kC3;
    body["team"] = team;
    return body;
  }
};

TEST_F(QuotaApiTest, UseIsClippedToEachCalendarPeriodAndForecastExtrapolates) {
  // Thursday 2026-01-01 22:00 UTC; the run then runs 4 hours, across midnight.
  clock_.Set(*ParseIso8601("2026-01-01T22:00:00Z"));
  NewRun(TeamRun("vision"));
  NewRun(TeamRun("other"));  // another team's run never counts
  Advance(4 * 3600);
  const int64_t day = NewQuota({{"scope", "team"}, {"name", "vision"}, {"period", "day"}, {"limit", "100"}, {"actions", {"block"}}});
  const int64_t week = NewQuota({{"scope", "team"}, {"name", "vision"}, {"period", "week"}, {"limit", "100"}, {"actions", {"block"}}});
  const int64_t total = NewQuota({{"scope", "team"}, {"name", "vision"}, {"period", "total"}, {"limit", "100"}, {"actions", {"block"}}});

  json d = Status(day);  // 2 of the 4 hours fall on Jan 2
  EXPECT_EQ(d["use"], "0.84");
  EXPECT_EQ(d["period_start"], "2026-01-02T00:00:00Z");
  EXPECT_EQ(d["period_end"], "2026-01-03T00:00:00Z");
  EXPECT_EQ(d["forecast"], "10.08");  // 0.42/h for the whole day
  EXPECT_EQ(d["runs_counted"], 1);
  json w = Status(week);  // the week of Monday 2025-12-29 holds all 4 hours
  EXPECT_EQ(w["use"], "1.68");
  EXPECT_EQ(w["period_start"], "2025-12-29T00:00:00Z");
  json t = Status(total);
  EXPECT_EQ(t["use"], "1.68");
  EXPECT_TRUE(t["forecast"].is_null());
  EXPECT_EQ(t["state"], "ok");

  // The next day the day quota starts from 0 for the part before now.
  clock_.Set(*ParseIso8601("2026-01-03T01:00:00Z"));
  EXPECT_EQ(Status(day)["use"], "0.42");
}

TEST_F(QuotaApiTest, BlockRefusesNativeAndMlflowRunCreationNamingTheQuota) {
  NewRun(TeamRun("vision"));
  Advance(3600);  // 0.42 USD
  const int64_t id = NewQuota({{"scope", "team"}, {"name", "vision"}, {"period", "month"}, {"limit", "0.4"}, {"actions", {"block"}}});
  std::string msg = ExpectError(403, "PERMISSION_DENIED", "POST", "/api/v1/runs", TeamRun("vision").dump());
  EXPECT_NE(msg.find("quota " + std::to_string(id)), std::string::npos) << msg;
  EXPECT_NE(msg.find("0.42 USD"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0.4 USD"), std::string::npos) << msg;
  json mlflow = {{"experiment_id", "0"}, {"tags", {{{"key", "mlcost.team"}, {"value", "vision"}}}}};
  msg = ExpectError(403, "PERMISSION_DENIED", "POST", "/api/2.0/mlflow/runs/create", mlflow.dump());
  EXPECT_NE(msg.find("quota " + std::to_string(id)), std::string::npos) << msg;
  NewRun(TeamRun("nlp"));  // not blocked
  json audit = Get("/api/v1/quotas/audit", {{"action", "run_blocked"}});
  ASSERT_EQ(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][0]["use"], "0.42");
  // Raising the limit lets runs start again.
  Expect(200, "PUT", "/api/v1/quotas/" + std::to_string(id),
         {{"scope", "team"}, {"name", "vision"}, {"period", "month"}, {"limit", "5"}, {"actions", {"block"}}});
  NewRun(TeamRun("vision"));
}

TEST_F(QuotaApiTest, StopComesAfterAStopRequestAndBeforeThePruner) {
  const std::string run = NewRun(TeamRun("vision"));
  const int64_t id = NewQuota({{"scope", "org"}, {"period", "total"}, {"limit", "1"}, {"actions", {"stop"}}});
  EXPECT_EQ(Get("/api/v1/runs/" + run + "/should-stop")["stop"], false);
  Advance(3 * 3600);  // 1.26 USD
  json decision = Get("/api/v1/runs/" + run + "/should-stop");
  EXPECT_EQ(decision["stop"], true);
  EXPECT_NE(decision["reason"].get<std::string>().find("quota " + std::to_string(id)), std::string::npos);
  Get("/api/v1/runs/" + run + "/should-stop");
  json audit = Get("/api/v1/quotas/audit", {{"action", "run_stop"}});
  ASSERT_EQ(audit["entries"].size(), 1u);  // once per quota and run
  EXPECT_EQ(audit["entries"][0]["run_id"], run);
  Expect(200, "POST", "/api/v1/runs/" + run + "/stop", {{"reason", "by hand"}});
  EXPECT_EQ(Get("/api/v1/runs/" + run + "/should-stop")["reason"], "by hand");
}

TEST_F(QuotaApiTest, BadInputAndConflicts) {
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/quotas",
              json({{"scope", "team"}, {"name", "v"}, {"period", "month"}, {"limit", "0"}, {"actions", {"block"}}}).dump());
  const int64_t id = NewQuota({{"scope", "team"}, {"name", "v"}, {"period", "month"}, {"limit", "1"}, {"actions", {"block"}}});
  std::string msg = ExpectError(409, "RESOURCE_CONFLICT", "POST", "/api/v1/quotas",
                                json({{"scope", "team"}, {"name", "v"}, {"period", "month"}, {"limit", "2"}, {"actions", {"stop"}}}).dump());
  EXPECT_NE(msg.find("quota " + std::to_string(id)), std::string::npos) << msg;
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/quotas/999");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/quotas/abc");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/quotas/audit", "", {{"action", "nope"}});
}

// The filtered selection (scope and period pushed into SQL) must count exactly what the full scan
// of every active run counts: runs before, across, inside and after the period, restarted runs,
// deleted runs, runs of other scopes, attribution through tags, users and experiments.
TEST_F(QuotaApiTest, FilteredSelectionCountsWhatTheFullScanCounts) {
  Expect(201, "POST", "/api/v1/teams", {{"name", "vision"}});
  Expect(201, "POST", "/api/v1/users", {{"name", "ann"}, {"team", "vision"}});
  const std::string atlas =
      Expect(201, "POST", "/api/v1/experiments", {{"name", "atlas"}, {"tags", {{"mlcost.project", "atlas"}}}})["id"];
  auto at = [&](const char* iso) { clock_.Set(*ParseIso8601(iso)); };
  auto finish = [&](const std::string& run) { Expect(200, "PATCH", "/api/v1/runs/" + run, {{"status", "FINISHED"}}); };

  at("2026-02-01T00:00:00Z");  // before March: counts in total only
  std::string r1 = NewRun(TeamRun("vision"));
  at("2026-02-01T05:00:00Z");
  finish(r1);
  at("2026-02-28T22:00:00Z");  // across the month start: 2 of its 4 hours in March
  std::string r2 = NewRun(TeamRun("vision"));
  at("2026-03-01T02:00:00Z");
  finish(r2);
  at("2026-03-09T10:00:00Z");  // ann (team vision through the users table), 2 GPUs, no price
  std::string r3 = NewRun({{"user", "ann"}, {"gpu_count", 2}});
  at("2026-03-09T14:00:00Z");
  finish(r3);
  at("2026-03-10T08:00:00Z");  // resumed: a second attempt, running
  Expect(200, "PATCH", "/api/v1/runs/" + r3, {{"status", "RUNNING"}});
  at("2026-03-10T09:00:00Z");
  NewRun(TeamRun("nlp"));  // another team
  at("2026-03-10T10:00:00Z");
  NewRun(kC3);  // no user, no team: unallocated
  std::string deleted = NewRun(TeamRun("vision"));
  Expect(200, "DELETE", "/api/v1/runs/" + deleted);
  at("2026-03-10T11:00:00Z");  // project atlas through its experiment
  json in_atlas = TeamRun("vision");
  in_atlas["experiment_id"] = atlas;
  NewRun(in_atlas);
  at("2026-03-12T00:00:00Z");  // after now (the clock goes back below): never counts
  NewRun(TeamRun("vision"));
  at("2026-03-10T12:00:00Z");  // now: Tuesday; week from Monday the 9th, month from the 1st

  const std::vector<std::pair<std::string, std::string>> scopes = {
      {"user", "ann"},       {"user", "unallocated"},    {"team", "vision"}, {"team", "nlp"},
      {"team", "unallocated"}, {"project", "atlas"}, {"project", "unallocated"}, {"org", ""}};
  for (const auto& [scope, name] : scopes) {
    for (const char* period : {"day", "week", "month", "total"}) {
      for (const char* unit : {"money", "gpu_hours"}) {
        json body = {{"scope", scope}, {"period", period}, {"unit", unit}, {"limit", "1000000"}, {"actions", {"block"}}};
        if (!name.empty()) body["name"] = name;
        NewQuota(body);
      }
    }
  }
  auto conn = ctx_->tracking.reads().Acquire();
  ASSERT_TRUE(conn.ok());
  auto quotas = quota::QuotaStore::List(**conn);
  ASSERT_TRUE(quotas.ok());
  ASSERT_EQ(quotas->size(), scopes.size() * 4 * 2);
  v1::QuotaEngine filtered(*ctx_);
  v1::QuotaEngine full(*ctx_, v1::RunSelection::kFullScan);
  std::map<std::string, int64_t> counted;  // "scope name period" -> runs counted (money)
  std::map<std::string, std::string> gpu_hours;
  for (const quota::Quota& q : *quotas) {
    auto a = filtered.StatusOf(q);
    auto b = full.StatusOf(q);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    const std::string what = q.scope + " " + q.scope_name + " " + q.period + " " + q.unit;
    EXPECT_EQ(a->use.runs.ToString(), b->use.runs.ToString()) << what;
    EXPECT_EQ(a->use.billed.ToString(), b->use.billed.ToString()) << what;
    EXPECT_EQ(a->use.runs_counted, b->use.runs_counted) << what;
    EXPECT_EQ(a->use.runs_unpriced, b->use.runs_unpriced) << what;
    EXPECT_EQ(a->use.billed_lines, b->use.billed_lines) << what;
    const std::string key = q.scope + " " + q.scope_name + " " + q.period;
    if (q.unit == quota::kUnitMoney) counted[key] = a->use.runs_counted;
    if (q.unit == quota::kUnitGpuHours) gpu_hours[key] = a->use.runs.ToString();
  }
  // Known by construction, so equal-but-wrong answers on both paths fail too.
  EXPECT_EQ(counted["team vision day"], 2);    // ann's second attempt, the atlas run
  EXPECT_EQ(counted["team vision week"], 2);
  EXPECT_EQ(counted["team vision month"], 3);  // + the run across the month start
  EXPECT_EQ(counted["team vision total"], 4);  // + the February run
  EXPECT_EQ(counted["team nlp month"], 1);
  EXPECT_EQ(counted["team unallocated day"], 1);
  EXPECT_EQ(counted["user ann week"], 1);
  EXPECT_EQ(counted["project atlas day"], 1);
  EXPECT_EQ(counted["project unallocated day"], 3);  // ann's, nlp's, the unallocated run
  EXPECT_EQ(counted["org  day"], 4);
  EXPECT_EQ(counted["org  month"], 5);
  EXPECT_EQ(counted["org  total"], 6);
  EXPECT_EQ(gpu_hours["user ann day"], Decimal::FromInt(2 * 4).ToString());   // 08:00-12:00, 2 GPUs
  EXPECT_EQ(gpu_hours["user ann week"], Decimal::FromInt(2 * 8).ToString());  // + Monday's 4 hours
}

}  // namespace
}  // namespace mlcost::api
