// /api/v1/sql and /api/v1/queries through the Router (fixture: api_test_fixture.h), and the seed
// one-liners of docs/sql.md over runs whose answers follow from the FakeClock.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "api/api_test_fixture.h"

namespace mlcost::api {
namespace {

// The ```sql block after each "<!-- seed: NAME -->" in docs/sql.md.
std::map<std::string, std::string> SeedQueries() {
  std::ifstream in(SourceDir() + "/docs/sql.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  std::map<std::string, std::string> out;
  std::regex block(R"(<!-- seed: ([a-z_]+) -->\s*```sql\n([^`]*)\n```)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator(); ++it) {
    out[(*it)[1].str()] = (*it)[2].str();
  }
  return out;
}

class SqlApiTest : public ApiTest {
 protected:
  json Sql(const std::string& sql, int want = 200) {
    return Expect(want, "POST", "/api/v1/sql", {{"sql", sql}});
  }
  // Rows of a query that must succeed.
  json Rows(const std::string& sql) { return Sql(sql)["rows"]; }
  void Patch(const std::string& id, const json& body) { Expect(200, "PATCH", "/api/v1/runs/" + id, body); }
};

// Three runs, all started at T0 in experiment "vision":
//   big:   8 GPUs, finished after 2 h                    -> 16 GPU-hours, 7200 s, 1 attempt
//   retry: 1 GPU, failed after 30 min, resumed at 1 h,
//          finished at 1.5 h                             -> 1 GPU-hour, 5400 s, 2 attempts (1 failed)
//   oops:  no GPU tag, failed after 10 min               -> 0 GPU-hours, 600 s, 1 attempt (failed)
TEST_F(SqlApiTest, SeedOneLinersAnswerWhatTheRunsImply) {
  const std::string exp = Expect(201, "POST", "/api/v1/experiments", {{"name", "vision"}})["id"];
  const std::string big =
      NewRun({{"experiment_id", exp}, {"name", "big"}, {"gpu_count", 8}, {"instance_type", "p4d.24xlarge"}});
  const std::string retry = NewRun({{"experiment_id", exp}, {"name", "retry"}, {"gpu_count", 1}});
  const std::string oops = NewRun({{"experiment_id", exp}, {"name", "oops"}});
  Advance(600);
  Patch(oops, {{"status", "FAILED"}});
  Advance(1200);
  Patch(retry, {{"status", "FAILED"}});
  Advance(1800);
  Patch(retry, {{"status", "RUNNING"}});
  Advance(1800);
  Patch(retry, {{"status", "FINISHED"}});
  Advance(1800);
  Patch(big, {{"status", "FINISHED"}});

  auto seeds = SeedQueries();
  ASSERT_EQ(seeds.size(), 4u) << "docs/sql.md lost a seed one-liner";

  json rows = Rows(seeds["resources"]);
  ASSERT_EQ(rows.size(), 3u) << rows;
  EXPECT_EQ(rows[0], json::array({"big", "vision", 8, 7200.0, 16.0}));
  EXPECT_EQ(rows[1], json::array({"retry", "vision", 1, 3600.0, 1.0}));
  EXPECT_EQ(rows[2], json::array({"oops", "vision", nullptr, 600.0, 0.0}));

  rows = Rows(seeds["durations"]);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], json::array({"big", "FINISHED", 7200.0, 1}));
  EXPECT_EQ(rows[1], json::array({"retry", "FINISHED", 5400.0, 2}));
  EXPECT_EQ(rows[2], json::array({"oops", "FAILED", 600.0, 1}));

  json failures = Sql(seeds["failures"]);
  ASSERT_EQ(failures["rows"].size(), 1u);
  // failed_runs, ended_runs, failed_pct, failed_attempts, attempts (sums are HUGEINT: exact text).
  EXPECT_EQ(failures["rows"][0], json::array({1, 3, 33.3, "2", "4"})) << failures;

  // The costs one-liner runs (its numbers are checked by the integration test over an ingest).
  EXPECT_EQ(Rows(seeds["services"]), json::array());

  // run_summary's other columns: the user, the instance tag, no end for a running run.
  const std::string live = NewRun({{"experiment_id", exp}, {"name", "live"}, {"user", "ann"}});
  rows = Rows(
      "SELECT \"user\", instance_type, end_time, duration_seconds, attempts FROM run_summary WHERE name IN "
      "('live', 'big') ORDER BY name");
  EXPECT_EQ(rows, json::parse(R"([["", "p4d.24xlarge", "2026-01-01T02:00:00Z", 7200.0, 1],
                                  ["ann", null, null, null, 1]])"));
  // Deleted runs leave the views.
  Expect(200, "DELETE", "/api/v1/runs/" + live);
  EXPECT_EQ(Rows("SELECT count(*) FROM run_summary"), json::parse("[[3]]"));
}

TEST_F(SqlApiTest, RunMetricsAndHistory) {
  const std::string id = NewRun({{"name", "m"}});
  Expect(200, "POST", "/api/v1/runs/" + id + "/metrics",
         {{"metrics",
           {{{"key", "loss"}, {"value", 0.9}, {"step", 1}, {"timestamp", 1000}},
            {{"key", "loss"}, {"value", 0.5}, {"step", 2}, {"timestamp", 2000}},
            {{"key", "acc"}, {"value", 0.7}, {"step", 2}, {"timestamp", 2000}}}}});
  EXPECT_EQ(
      Rows("SELECT key, value, step, \"timestamp\" FROM run_metrics ORDER BY key"),
      json::parse(R"([["acc", 0.7, 2, "1970-01-01T00:00:02Z"], ["loss", 0.5, 2, "1970-01-01T00:00:02Z"]])"));
  EXPECT_EQ(Rows("SELECT run_name, min(value) FROM metric_history WHERE key = 'loss' GROUP BY 1"),
            json::parse(R"([["m", 0.5]])"));
  EXPECT_EQ(Rows("SELECT count(*) FROM metric_history"), json::parse("[[3]]"));
}

TEST_F(SqlApiTest, ErrorsHaveTheirStatusesAndChangeNothing) {
  Expect(201, "POST", "/api/v1/teams", {{"name", "vision"}});
  std::string m =
      ExpectError(403, "PERMISSION_DENIED", "POST", "/api/v1/sql", R"({"sql": "DELETE FROM teams"})");
  EXPECT_NE(m.find("DELETE"), std::string::npos) << m;
  m = ExpectError(403, "PERMISSION_DENIED", "POST", "/api/v1/sql",
                  R"j({"sql": "SELECT * FROM read_csv('/etc/passwd')"})j");
  EXPECT_NE(m.find("read_csv"), std::string::npos) << m;
  m = ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/sql", R"({"sql": "SELEC 1"})");
  EXPECT_NE(m.find("syntax error"), std::string::npos) << m;
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/sql", R"({})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/sql", R"({"sql": "SELECT 1", "max_rows": 0})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/sql", R"({"sql": "SELECT 1", "limit": 3})");
  m = ExpectError(
      408, "QUERY_TIMEOUT", "POST", "/api/v1/sql",
      R"({"sql": "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range <> b.range",
                      "timeout_ms": 100})");
  EXPECT_NE(m.find("time limit"), std::string::npos) << m;
  json r = Sql("SELECT name FROM teams");
  EXPECT_EQ(r["rows"], json::parse(R"([["vision"]])"));
  EXPECT_EQ(r["columns"], json::parse(R"([{"name": "name", "type": "VARCHAR"}])"));
}

TEST_F(SqlApiTest, RowCap) {
  json r = Expect(200, "POST", "/api/v1/sql", {{"sql", "SELECT * FROM range(100)"}, {"max_rows", 7}});
  EXPECT_EQ(r["row_count"], 7);
  EXPECT_EQ(r["truncated"], true);
  r = Sql("SELECT * FROM range(10001)");
  EXPECT_EQ(r["row_count"], 10000);
  EXPECT_EQ(r["truncated"], true);
}

TEST_F(SqlApiTest, SavedQueriesCreateListRunDelete) {
  Expect(201, "POST", "/api/v1/teams", {{"name", "vision"}});
  json q = Expect(
      201, "POST", "/api/v1/queries",
      {{"name", "teams"}, {"sql", "SELECT name FROM teams"}, {"output_dir", "bi"}, {"interval", "1h"}});
  EXPECT_EQ(q["interval_seconds"], 3600);
  EXPECT_EQ(q["format"], "csv");
  EXPECT_EQ(q["next_run_at"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(q["last_status"], nullptr);
  ExpectError(400, "RESOURCE_ALREADY_EXISTS", "POST", "/api/v1/queries",
              R"({"name": "teams", "sql": "SELECT 1"})");
  ExpectError(403, "PERMISSION_DENIED", "POST", "/api/v1/queries",
              R"j({"name": "evil", "sql": "SELECT * FROM read_csv('/etc/passwd')"})j");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/queries",
              R"({"name": "x", "sql": "SELECT nope FROM teams"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/queries",
              R"({"name": "x", "sql": "SELECT 1", "output_dir": "../../etc"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/queries",
              R"({"name": "x", "sql": "SELECT 1", "format": "xlsx"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/queries",
              R"({"name": "x", "sql": "SELECT 1", "interval": "now and then"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/queries",
              R"({"name": "a/b", "sql": "SELECT 1"})");

  Advance(90);
  q = Expect(200, "POST", "/api/v1/queries/teams/run");
  EXPECT_EQ(q["last_status"], "ok");
  EXPECT_EQ(q["last_row_count"], 1);
  EXPECT_EQ(q["last_output"], "bi/teams.csv");
  EXPECT_EQ(q["last_run_at"], "2026-01-01T00:01:30Z");
  std::ifstream in(artifact_dir_ / "exports" / "bi" / "teams.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "name\nvision\n");

  json list = Get("/api/v1/queries");
  ASSERT_EQ(list["queries"].size(), 1u);
  EXPECT_EQ(list["queries"][0]["name"], "teams");
  EXPECT_EQ(Get("/api/v1/queries/teams")["last_status"], "ok");
  Expect(200, "DELETE", "/api/v1/queries/teams");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/queries/teams");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "POST", "/api/v1/queries/teams/run");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "DELETE", "/api/v1/queries/teams");
}

}  // namespace
}  // namespace mlcost::api
