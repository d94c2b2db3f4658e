#include "sqlconsole/sql_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sqlconsole/sql_test_util.h"
#include "store/test_util.h"

namespace mlcost::sqlconsole {
namespace {

using Json = nlohmann::json;

class SqlServiceTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<SqlService>(*db_, SqlLimits{});
  }
  void Exec(const std::string& sql) {
    Status s = conn_->Execute(sql);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }
  // Inserts one cost line with the given money columns, region and tags.
  void AddCost(const std::string& billed, const std::string& region, const std::string& tags) {
    Exec(
        "INSERT INTO costs (billed_cost, effective_cost, region_id, service_name, charge_period_start, tags, "
        "x_source_format, x_source_file, x_source_line, x_ingest_id) VALUES (" +
        billed + ", " + billed + ", '" + region + "', 'Amazon EC2', TIMESTAMP '2026-01-02 03:04:05.5', " +
        tags + ", 'focus', 'f.csv', 1, 1)");
  }
  Json Rows(const std::string& sql) {
    auto r = service_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? r->rows : Json();
  }

  std::unique_ptr<SqlService> service_;
};

// Sums of DECIMAL(38,12) stay exact strings: 0.1 + 0.2 is 0.3, and a million-dollar line next to
// a sub-cent one keeps every digit.
TEST_F(SqlServiceTest, DecimalsAreExactStrings) {
  AddCost("0.1", "us-east-1", "NULL");
  AddCost("0.2", "us-east-1", "NULL");
  AddCost("1234567.000000000001", "eu-west-1", "NULL");
  auto r = service_->Query("SELECT region_id, sum(billed_cost) AS total FROM costs GROUP BY 1 ORDER BY 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns[0], (Json{{"name", "region_id"}, {"type", "VARCHAR"}}));
  EXPECT_EQ(r->columns[1], (Json{{"name", "total"}, {"type", "DECIMAL(38,12)"}}));
  EXPECT_EQ(r->rows, Json::array({Json::array({"eu-west-1", "1234567.000000000001"}),
                                  Json::array({"us-east-1", "0.300000000000"})}));
  EXPECT_FALSE(r->truncated);
}

TEST_F(SqlServiceTest, TimestampsMapsNullsAndNestedValues) {
  AddCost("1", "us-east-1", "MAP {'team': 'vision', 'env': 'prod'}");
  AddCost("2", "us-east-1", "NULL");
  Json rows = Rows("SELECT charge_period_start, tags, tags['team'] AS team FROM costs ORDER BY billed_cost");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "2026-01-02T03:04:05.500000Z");
  EXPECT_EQ(rows[0][1], (Json{{"team", "vision"}, {"env", "prod"}}));
  EXPECT_EQ(rows[0][2], "vision");
  EXPECT_EQ(rows[1][1], nullptr);
  EXPECT_EQ(rows[1][2], nullptr);

  rows = Rows(
      "SELECT 170141183460469231731687303715884105727::HUGEINT, DATE '2024-02-29', [1, NULL, 3], "
      "{'a': 1, 'b': 'x'}, 'NaN'::DOUBLE, -1.5::DOUBLE, true, '00000000-0000-0000-0000-0000000000ff'::UUID, "
      "TIME '01:02:03', 'ab'::BLOB, TIMESTAMPTZ '2024-01-01 00:00:00+02', NULL, 12::TINYINT, [1,2]::INT[2]");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Json{"170141183460469231731687303715884105727",
                           "2024-02-29",
                           {1, nullptr, 3},
                           {{"a", 1}, {"b", "x"}},
                           "NaN",
                           -1.5,
                           true,
                           "00000000-0000-0000-0000-0000000000ff",
                           "01:02:03",
                           "YWI=",
                           "2023-12-31T22:00:00Z",
                           nullptr,
                           12,
                           {1, 2}}));
}

TEST_F(SqlServiceTest, UnencodableTypesAreRefusedBeforeRunning) {
  auto r = service_->Query("SELECT '101'::BIT AS b");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("BIT"), std::string::npos) << r.status().message();
}

TEST_F(SqlServiceTest, RowCapTruncates) {
  auto r = service_->Query("SELECT * FROM range(25000)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 10000u);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->rows[9999][0], 9999);

  r = service_->Query("SELECT * FROM range(7)", SqlLimits{0, 5});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 5u);
  EXPECT_TRUE(r->truncated);

  r = service_->Query("SELECT * FROM range(5)", SqlLimits{0, 5});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 5u);
  EXPECT_FALSE(r->truncated);

  // A larger request is lowered to the service's ceiling.
  SqlService small(*db_, SqlLimits{30000, 3});
  r = small.Query("SELECT * FROM range(10)", SqlLimits{0, 100});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 3u);
}

// The cross join has 10^12 rows: no machine finishes it inside the limit, so the outcome does
// not depend on the machine's speed.
TEST_F(SqlServiceTest, TimeLimitInterruptsAndTheServiceStillAnswers) {
  auto r = service_->Query("SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
                           SqlLimits{200, 0});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsTimeout(r.status())) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT 41 + 1"), (Json{{42}}));
}

TEST_F(SqlServiceTest, ConcurrencyLimit) {
  SqlService none(*db_, SqlLimits{}, 0);
  EXPECT_EQ(none.Query("SELECT 1").status().code(), StatusCode::kResourceExhausted);
  SqlService one(*db_, SqlLimits{}, 1);
  // Sequential queries each take and give back the one slot.
  EXPECT_TRUE(one.Query("SELECT 1").ok());
  EXPECT_TRUE(one.Query("SELECT 2").ok());
}

TEST_F(SqlServiceTest, ForbiddenAndBadStatementsChangeNothing) {
  Exec("INSERT INTO teams VALUES ('vision', '', TIMESTAMP '2026-01-01')");
  auto r = service_->Query("DELETE FROM teams");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  r = service_->Query("SELECT * FROM read_csv('/etc/passwd')");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  r = service_->Query("SELECT no_such_column FROM teams");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no_such_column"), std::string::npos);
  r = service_->Query("SELECT $1");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsTimeout(r.status()));
  EXPECT_EQ(Rows("SELECT count(*) FROM teams"), (Json{{1}}));
}

TEST_F(SqlServiceTest, CopyWritesCsvAndParquet) {
  store::TempDir dir;
  AddCost("0.5", "us-east-1", "NULL");
  AddCost("0.25", "eu-west-1", "NULL");
  const std::string sql = "SELECT region_id, billed_cost FROM costs ORDER BY region_id;";
  auto rows = service_->CopyTo(sql, dir.path() + "/out.csv", ExportFormat::kCsv);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 2);
  std::ifstream in(dir.path() + "/out.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "region_id,billed_cost\neu-west-1,0.250000000000\nus-east-1,0.500000000000\n");

  rows = service_->CopyTo(sql, dir.path() + "/out.parquet", ExportFormat::kParquet);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  auto back = conn_->Query("SELECT sum(billed_cost)::VARCHAR, count(*) FROM read_parquet('" + dir.path() +
                           "/out.parquet')");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->GetString(0, 0), "0.750000000000");
  EXPECT_EQ(back->GetInt64(1, 0), 2);

  EXPECT_EQ(
      service_->CopyTo("SELECT * FROM read_csv('/etc/passwd')", dir.path() + "/x.csv", ExportFormat::kCsv)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/x.csv"));
}

}  // namespace
}  // namespace mlcost::sqlconsole
