// FocusCsvGenerator against the real FOCUS sample: the output is read back by DuckDB (not by the
// generator's own parser) and compared with the sample and with the generator's claims.
#include "bench/ingest/focus_csv_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "billing/mapping_sql.h"
#include "store/database.h"

namespace mlcost::bench {
namespace {

namespace fs = std::filesystem;

std::string SamplePath() {
  const char* env = std::getenv("MLCOST_SOURCE_DIR");
  std::string root = env != nullptr && *env != '\0' ? env : MLCOST_DEFAULT_SOURCE_DIR;
  return root + "/../shared/data/billing/focus/focus-1.0_focus_sample_1000.csv";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

class FocusCsvGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("mlcost_gen_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto gen = FocusCsvGenerator::Load(SamplePath());
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
    gen_ = std::make_unique<FocusCsvGenerator>(std::move(gen).value());
    auto db = store::Database::Open(":memory:", store::DatabaseOptions{.threads = 1, .memory_limit = "1GB"});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  store::QueryResult Query(const std::string& sql) {
    auto conn = db_->Connect();
    EXPECT_TRUE(conn.ok());
    auto result = conn->Query(sql);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return std::move(result).value();
  }

  fs::path dir_;
  std::unique_ptr<FocusCsvGenerator> gen_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(FocusCsvGeneratorTest, FirstCopyIsTheSampleAndLaterCopiesVaryWithinTheMonth) {
  std::string out = (dir_ / "a.csv").string();
  auto file = gen_->Write(out, 2500, 7);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->rows, 2500);
  std::string text = ReadAll(out);
  EXPECT_EQ(file->bytes, static_cast<int64_t>(text.size()));
  std::vector<std::string> lines = Lines(text), sample = Lines(ReadAll(SamplePath()));
  ASSERT_EQ(lines.size(), 2501u);
  ASSERT_EQ(sample.size(), 1001u);
  for (size_t i = 0; i < sample.size(); ++i) ASSERT_EQ(lines[i], sample[i]) << "line " << i + 1;
  EXPECT_NE(lines[1001], sample[1]);

  std::string csv = "read_csv(" + billing::QuoteLiteral(out) + ", header=true, all_varchar=true)";
  std::string src = "read_csv(" + billing::QuoteLiteral(SamplePath()) + ", header=true, all_varchar=true)";
  // DuckDB's own sum of the written text is the generator's exact total.
  store::QueryResult sum = Query("SELECT sum(TRY_CAST(BilledCost AS DECIMAL(38,12))), count(*) FROM " + csv);
  EXPECT_EQ(sum.GetDecimal(0, 0), file->billed_cost);
  EXPECT_EQ(sum.GetInt64(1, 0), 2500);
  // Same header, every time parses, each copy keeps its row's month and period length, and the
  // copies differ from the sample in days, resources and tags.
  store::QueryResult checks = Query(
      "WITH g AS (SELECT (row_number() OVER () - 1) % 1000 AS k, (row_number() OVER () - 1) // 1000 AS copy, * FROM " +
      csv + "), s AS (SELECT row_number() OVER () - 1 AS k, * FROM " + src + ") "
      "SELECT count(*) FILTER (WHERE date_trunc('month', g.ChargePeriodStart::TIMESTAMP) <> "
      "date_trunc('month', s.ChargePeriodStart::TIMESTAMP)), "
      "count(*) FILTER (WHERE g.ChargePeriodEnd::TIMESTAMP - g.ChargePeriodStart::TIMESTAMP <> "
      "s.ChargePeriodEnd::TIMESTAMP - s.ChargePeriodStart::TIMESTAMP), "
      "count(*) FILTER (WHERE copy > 0 AND g.ChargePeriodStart <> s.ChargePeriodStart), "
      "count(*) FILTER (WHERE copy > 0 AND g.ResourceId <> s.ResourceId), "
      "count(*) FILTER (WHERE copy > 0 AND CASE WHEN s.Tags = 'NULL' THEN g.Tags <> 'NULL' "
      "ELSE json_extract_string(g.Tags, '$.cost_center') IS NULL END), "
      "count(*) FILTER (WHERE copy > 0 AND TRY_CAST(g.BilledCost AS DECIMAL(38,12)) IS NULL "
      "AND TRY_CAST(s.BilledCost AS DECIMAL(38,12)) IS NOT NULL) "
      "FROM g JOIN s USING (k)");
  EXPECT_EQ(checks.GetInt64(0, 0), 0) << "charge start left its month";
  EXPECT_EQ(checks.GetInt64(1, 0), 0) << "period length changed";
  EXPECT_GT(checks.GetInt64(2, 0), 1000) << "days barely vary";
  EXPECT_GT(checks.GetInt64(3, 0), 1000) << "resource ids do not vary";
  EXPECT_EQ(checks.GetInt64(4, 0), 0) << "tags without cost_center (or NULL tags changed)";
  EXPECT_EQ(checks.GetInt64(5, 0), 0) << "an amount no longer parses";
}

TEST_F(FocusCsvGeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  std::string a = (dir_ / "a.csv").string(), b = (dir_ / "b.csv").string(), c = (dir_ / "c.csv").string();
  ASSERT_TRUE(gen_->Write(a, 3000, 1).ok());
  ASSERT_TRUE(gen_->Write(b, 3000, 1).ok());
  ASSERT_TRUE(gen_->Write(c, 3000, 2).ok());
  EXPECT_EQ(ReadAll(a), ReadAll(b));
  EXPECT_NE(ReadAll(a), ReadAll(c));
}

TEST_F(FocusCsvGeneratorTest, RejectsAFileThatIsNotAFocusSample) {
  std::string bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "a,b\n1,2\n";
  auto gen = FocusCsvGenerator::Load(bad);
  ASSERT_FALSE(gen.ok());
  EXPECT_NE(gen.status().message().find("ChargePeriodStart"), std::string::npos) << gen.status().ToString();
}

}  // namespace
}  // namespace mlcost::bench
