// GET /api/v1/costs and the leaderboards over the real FOCUS 1.0 sample, ingested by the billing
// library. Expected totals come from DuckDB reading the CSV file directly (no mapping, no
// explorer SQL), so a wrong mapping of the explorer's grouping shows up as a mismatch.
#include "api/api_test_fixture.h"
#include "billing/ingest_service.h"

namespace mlcost::api {
namespace {

class ExplorerApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    sample_ = SourceDir() + "/../shared/data/billing/focus/focus-1.0_focus_sample_1000.csv";
    billing::IngestService ingest(*db_, clock_);
    auto report = ingest.Ingest({.paths = {sample_}});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }

  // key -> exact total, from DuckDB over the raw file. `key_sql` is an expression over its columns.
  std::map<std::string, std::string> FromFile(const std::string& key_sql, const std::string& value_sql) {
    auto conn = db_->Connect();
    EXPECT_TRUE(conn.ok());
    auto r = conn->Query("SELECT coalesce(" + key_sql + ", '<null>'), sum(" + value_sql +
                         "::DECIMAL(38,12))::VARCHAR FROM read_csv('" + sample_ +
                         "', nullstr = 'NULL', all_varchar = true) GROUP BY 1");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::map<std::string, std::string> out;
    for (uint64_t i = 0; i < r->RowCount(); ++i) {
      out[r->GetString(0, i)] = Decimal::Parse(r->GetString(1, i))->ToString();
    }
    return out;
  }

  // label value (null -> "<null>") -> cost, for a granularity=none answer with one group_by.
  static std::map<std::string, std::string> Rows(const json& answer, const std::string& label) {
    std::map<std::string, std::string> out;
    for (const json& row : answer["rows"]) {
      const json& v = row["group"][label];
      out[v.is_null() ? "<null>" : v.get<std::string>()] = row["cost"].get<std::string>();
    }
    return out;
  }

  std::string sample_;
};

TEST_F(ExplorerApiTest, ServiceTotalsMatchTheFile) {
  json a = Get("/api/v1/costs", {{"group_by", "service_name"}, {"granularity", "none"}});
  EXPECT_EQ(a["metric"], "billed");
  EXPECT_EQ(a["amortized"], false);
  EXPECT_EQ(Rows(a, "service_name"), FromFile("ServiceName", "BilledCost"));
  json e = Get("/api/v1/costs", {{"group_by", "service_name"}, {"granularity", "none"}, {"metric", "effective"}});
  EXPECT_EQ(e["amortized"], true);
  EXPECT_EQ(Rows(e, "service_name"), FromFile("ServiceName", "EffectiveCost"));
  EXPECT_EQ(a["lines"], 1000);
}

TEST_F(ExplorerApiTest, TagsAndAllocationRulesMatchTheFile) {
  json a = Get("/api/v1/costs", {{"group_by", "tag:business_unit"}, {"granularity", "none"}});
  EXPECT_EQ(Rows(a, "tag:business_unit"), FromFile("json_extract_string(Tags, '$.business_unit')", "BilledCost"));

  // No team tags in the sample: everything is unallocated, nothing dropped.
  json before = Get("/api/v1/costs", {{"group_by", "team"}, {"granularity", "none"}});
  ASSERT_EQ(before["rows"].size(), 1u);
  EXPECT_EQ(before["rows"][0]["group"]["team"], "unallocated");
  EXPECT_EQ(before["rows"][0]["cost"], FromFile("'all'", "BilledCost")["all"]);

  Expect(201, "POST", "/api/v1/allocation/rules",
         {{"dimension", "team"}, {"match_kind", "tag"}, {"match_key", "business_unit"}});
  std::map<std::string, std::string> want = FromFile("json_extract_string(Tags, '$.business_unit')", "BilledCost");
  want["unallocated"] = want["<null>"];
  want.erase("<null>");
  json after = Get("/api/v1/costs", {{"group_by", "team"}, {"granularity", "none"}});
  EXPECT_EQ(after["source"], "rollup");
  EXPECT_EQ(Rows(after, "team"), want);
  // The same through the costs table (a second dimension) summed per team.
  json wide = Get("/api/v1/costs", {{"group_by", "team,charge_category"}, {"granularity", "month"}});
  EXPECT_EQ(wide["source"], "costs");
  std::map<std::string, Decimal> sums;
  for (const json& row : wide["rows"]) {
    sums[row["group"]["team"].get<std::string>()] += *Decimal::Parse(row["cost"].get<std::string>());
  }
  for (const auto& [team, cost] : want) EXPECT_EQ(sums[team].ToString(), cost) << team;
}

TEST_F(ExplorerApiTest, DailyTopThreeKeepsTotalsPerDay) {
  json a = Get("/api/v1/costs", {{"group_by", "service_name"}, {"granularity", "day"}, {"top", "3"}});
  std::map<std::string, Decimal> per_day;
  std::set<std::string> services;
  for (const json& row : a["rows"]) {
    per_day[row["period_start"].get<std::string>().substr(0, 10)] += *Decimal::Parse(row["cost"].get<std::string>());
    if (!row["other"].get<bool>()) services.insert(row["group"]["service_name"].get<std::string>());
  }
  EXPECT_LE(services.size(), 3u);
  std::map<std::string, std::string> want = FromFile("substr(ChargePeriodStart, 1, 10)", "BilledCost");
  ASSERT_EQ(per_day.size(), want.size());
  for (const auto& [day, cost] : want) EXPECT_EQ(per_day[day].ToString(), cost) << day;
}

TEST_F(ExplorerApiTest, BadParametersAreNamed) {
  EXPECT_NE(ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs", "", {{"group_by", "billed_cost"}})
                .find("billed_cost"),
            std::string::npos);
  EXPECT_NE(ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs", "", {{"granularity", "year"}})
                .find("granularity"),
            std::string::npos);
  EXPECT_NE(ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs", "", {{"colour", "red"}})
                .find("colour"),
            std::string::npos);
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/leaderboards/costs", "", {{"window", "7x"}});
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "DELETE", "/api/v1/allocation/rules/99");
}

TEST_F(ExplorerApiTest, CostLeaderboardAgainstThePreviousWindow) {
  json a = Get("/api/v1/leaderboards/costs",
               {{"by", "tag:environment"}, {"window", "2024-09-16T00:00:00Z,2024-10-01T00:00:00Z"}});
  EXPECT_EQ(a["previous_window"]["since"], "2024-09-01T00:00:00Z");
  auto cur = FromFile("CASE WHEN ChargePeriodStart >= '2024-09-16' THEN json_extract_string(Tags, '$.environment') END",
                      "BilledCost");
  auto prev = FromFile("CASE WHEN ChargePeriodStart < '2024-09-16' THEN json_extract_string(Tags, '$.environment') END",
                       "BilledCost");
  ASSERT_FALSE(a["rows"].empty());
  for (const json& row : a["rows"]) {
    std::string key = row["key"].get<std::string>();
    if (key.empty()) continue;  // lines without the tag
    EXPECT_EQ(row["current"], cur.count(key) ? cur[key] : "0") << key;
    EXPECT_EQ(row["previous"], prev.count(key) ? prev[key] : "0") << key;
  }
}

TEST_F(ExplorerApiTest, LeaderboardWindowsFollowTheClock) {
  // The fixture's clock stands at 2026-01-01T00:00:00Z; advance into the 15th.
  Advance(14 * 86400 + 3600);
  json month = Get("/api/v1/leaderboards/costs", {{"window", "month"}});
  EXPECT_EQ(month["window"]["since"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(month["window"]["until"], "2026-02-01T00:00:00Z");
  EXPECT_EQ(month["previous_window"]["since"], "2025-12-01T00:00:00Z");
  json week = Get("/api/v1/leaderboards/costs", {{"window", "7d"}});
  EXPECT_EQ(week["window"]["since"], "2026-01-09T00:00:00Z");
  EXPECT_EQ(week["window"]["until"], "2026-01-16T00:00:00Z");
  EXPECT_EQ(week["previous_window"]["since"], "2026-01-02T00:00:00Z");
  EXPECT_EQ(week["previous_window"]["until"], "2026-01-09T00:00:00Z");
}

}  // namespace
}  // namespace mlcost::api
