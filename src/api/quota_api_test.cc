// Quotas through the router with a FakeClock: use clipped to UTC calendar periods, the period-end
// forecast, block on run creation (native and MLflow), stop through should-stop, audit rows.
#include <gtest/gtest.h>

#include "api/api_test_fixture.h"

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

}  // namespace
}  // namespace mlcost::api
