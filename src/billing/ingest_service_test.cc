// IngestService over a real in-memory DuckDB: small bills written by the tests (each with its
// answer worked out by hand in the test), and every real export under ../shared/data/billing.
#include "billing/ingest_service.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "store/migrations.h"

namespace mlcost::billing {
namespace {

namespace fs = std::filesystem;

class FixedClock final : public Clock {
 public:
  Micros Now() const override { return 1'700'000'000'000'000; }
};

constexpr const char* kFocusHeader =
    "BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,BilledCost,"
    "EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ServiceName,ProviderName,Tags\n";

class IngestServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("mlcost_ingest_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    auto db = store::Database::Open(":memory:", store::DatabaseOptions{.threads = 2, .memory_limit = "1GB"});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(store::Migrate(*conn, store::SchemaMigrations()).ok());
    service_ = std::make_unique<IngestService>(*db_, clock_);
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  // One FOCUS line: account, month (YYYY-MM), day, billed cost, currency, tags.
  static std::string Line(const std::string& account, const std::string& month, int day, const std::string& cost,
                          const std::string& currency = "USD", const std::string& tags = "\"{\"\"team\"\": \"\"ml\"\"}\"") {
    std::string next = month == "2024-09" ? "2024-10" : "2024-11";
    std::string d = (day < 10 ? "0" : "") + std::to_string(day);
    return account + "," + month + "-01T00:00:00Z," + next + "-01T00:00:00Z," + month + "-" + d + "T00:00:00Z," +
           month + "-" + d + "T01:00:00Z," + cost + "," + cost + "," + cost + "," + currency +
           ",Usage,Amazon S3,AWS," + tags + "\n";
  }

  std::string Scalar(const std::string& sql) {
    auto conn = db_->Connect();
    auto r = conn->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->RowCount() > 0 && !r->IsNull(0, 0) ? r->GetString(0, 0) : "NULL";
  }

  FixedClock clock_;
  fs::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<IngestService> service_;
};

TEST_F(IngestServiceTest, LoadsAFocusFileWithExactTotals) {
  std::string path = Write("a.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "0.1") +
                                        Line("A1", "2024-09", 2, "0.2") + Line("A1", "2024-09", 3, "1e-7"));
  auto report = service_->Ingest({{path}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->files.size(), 1u);
  const FileReport& f = report->files[0];
  EXPECT_EQ(f.provider, "focus");
  EXPECT_EQ(f.rows_read, 3);
  EXPECT_EQ(f.rows_loaded, 3);
  EXPECT_EQ(f.billed_cost.ToString(), "0.3000001");  // 0.1 + 0.2 + 0.0000001, exactly
  EXPECT_EQ(f.currencies, std::vector<std::string>{"USD"});
  EXPECT_EQ(f.accounts, std::vector<std::string>{"A1"});
  ASSERT_EQ(f.billing_periods.size(), 1u);
  EXPECT_EQ(f.billing_periods[0].start, "2024-09-01T00:00:00Z");
  EXPECT_EQ(f.billing_periods[0].end, "2024-10-01T00:00:00Z");
  EXPECT_TRUE(report->rules.empty());
  EXPECT_EQ(Scalar("SELECT tags['team'] FROM costs LIMIT 1"), "ml");
  EXPECT_EQ(Scalar("SELECT min(x_source_line) || '-' || max(x_source_line) FROM costs"), "2-4");
}

TEST_F(IngestServiceTest, ReingestingAPeriodReplacesItAndOtherPeriodsStay) {
  std::string sept = Write("sept.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "10") +
                                           Line("A1", "2024-09", 2, "5") + Line("B2", "2024-09", 2, "3"));
  std::string oct = Write("oct.csv", std::string(kFocusHeader) + Line("A1", "2024-10", 1, "100"));
  ASSERT_TRUE(service_->Ingest({{sept, oct}, "auto"}).ok());
  EXPECT_EQ(Scalar("SELECT sum(billed_cost)::VARCHAR FROM costs"), "118.000000000000");
  // A1's September is restated: one corrected line replaces two; B2 and October are untouched.
  std::string restated = Write("sept-v2.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "12.5"));
  auto report = service_->Ingest({{restated}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows_replaced, 2);
  EXPECT_EQ(Scalar("SELECT sum(billed_cost)::VARCHAR FROM costs"), "115.500000000000");
  // Ingesting the same file again changes nothing.
  ASSERT_TRUE(service_->Ingest({{restated}, "auto"}).ok());
  EXPECT_EQ(Scalar("SELECT sum(billed_cost)::VARCHAR FROM costs"), "115.500000000000");
}

TEST_F(IngestServiceTest, AValueThatDoesNotParseNamesFileLineAndColumnAndChangesNothing) {
  std::string good = Write("good.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "1"));
  ASSERT_TRUE(service_->Ingest({{good}, "auto"}).ok());
  std::string bad = Write("bad.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "2") +
                                         Line("A1", "2024-09", 2, "3") + Line("A1", "2024-09", 3, "\"12,50\""));
  auto report = service_->Ingest({{bad}, "auto"});
  ASSERT_FALSE(report.ok());
  std::string message(report.status().message());
  EXPECT_NE(message.find(bad + ":4: column \"BilledCost\": \"12,50\" is not a decimal number"), std::string::npos) << message;
  EXPECT_EQ(Scalar("SELECT sum(billed_cost)::VARCHAR FROM costs"), "1.000000000000");
  EXPECT_EQ(Scalar("SELECT count(*) FROM ingests"), "1");
}

TEST_F(IngestServiceTest, ABadFileAmongGoodOnesLoadsNothing) {
  Write("dir/1.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "1"));
  Write("dir/2.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "1.00 USD"));
  auto report = service_->Ingest({{(dir_ / "dir").string()}, "auto"});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("2.csv:2: column \"BilledCost\": \"1.00 USD\" is not a decimal number"),
            std::string::npos)
      << report.status().ToString();
  EXPECT_EQ(Scalar("SELECT count(*) FROM costs"), "0");
}

TEST_F(IngestServiceTest, RulesFlagOrRejectWithExamples) {
  std::string path = Write(
      "r.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "1") + Line("A1", "2024-09", 2, "2", "usd") +
                   "A1,2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,2024-09-31T00:00:00Z,,4,4,4,USD,Usage,S3,AWS,{}\n" +
                   Line("A1", "2024-09", 3, "8", "USD", "not-json"));
  auto report = service_->Ingest({{path}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const FileReport& f = report->files[0];
  EXPECT_EQ(f.rows_read, 4);
  EXPECT_EQ(f.rows_loaded, 3);
  EXPECT_EQ(f.rows_rejected, 1);
  EXPECT_EQ(f.rejected_billed_cost.ToString(), "4");
  EXPECT_EQ(f.billed_cost.ToString(), "11");  // 1 + 2 + 8: loaded + rejected = the file's 15
  std::map<std::string, RuleReport> by_id;
  for (const RuleReport& r : report->rules) by_id[r.rule] = r;
  ASSERT_TRUE(by_id.count("R01"));
  EXPECT_EQ(by_id["R01"].action, "reject");
  EXPECT_EQ(by_id["R01"].examples, std::vector<std::string>{path + ":4"});
  ASSERT_TRUE(by_id.count("R08"));
  EXPECT_EQ(by_id["R08"].examples, std::vector<std::string>{path + ":3"});
  ASSERT_TRUE(by_id.count("R11"));
  EXPECT_EQ(by_id["R11"].examples, std::vector<std::string>{path + ":5"});
  EXPECT_EQ(by_id["R11"].action, "flag");
}

TEST_F(IngestServiceTest, NonBillsDuplicatesAndForcedMismatchesAreClearErrors) {
  std::string people = Write("people.csv", "name,age\nann,3\n");
  auto r1 = service_->Ingest({{people}, "auto"});
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.status().message().find("not a billing export of a known format"), std::string::npos);
  std::string dup = Write("dup.csv", "BilledCost,ChargePeriodStart,BillingAccountId,BilledCost\n1,2024-09-01,A,1\n");
  auto r2 = service_->Ingest({{dup}, "auto"});
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("duplicate column(s) in the header: BilledCost"), std::string::npos)
      << r2.status().ToString();
  std::string focus = Write("f.csv", std::string(kFocusHeader) + Line("A1", "2024-09", 1, "1"));
  auto r3 = service_->Ingest({{focus}, "gcp"});
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.status().message().find("looks like focus"), std::string::npos) << r3.status().ToString();
  auto r4 = service_->Ingest({{(dir_ / "missing.csv").string()}, "auto"});
  EXPECT_EQ(r4.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Scalar("SELECT count(*) FROM costs"), "0");
}

TEST_F(IngestServiceTest, GzipIsReadAndATruncatedGzipIsAnError) {
  std::string text = std::string(kFocusHeader);
  for (int day = 1; day <= 28; ++day) text += Line("A1", "2024-09", day, "1.25");
  std::string gz = (dir_ / "bill.csv.gz").string();
  gzFile out = gzopen(gz.c_str(), "wb");
  gzwrite(out, text.data(), static_cast<unsigned>(text.size()));
  gzclose(out);
  auto report = service_->Ingest({{gz}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->files[0].billed_cost.ToString(), "35");  // 28 × 1.25

  std::string bytes;
  {
    std::ifstream in(gz, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string cut = (dir_ / "cut.csv.gz").string();
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  auto truncated = service_->Ingest({{cut}, "auto"});
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find(cut), std::string::npos) << truncated.status().ToString();
  EXPECT_EQ(Scalar("SELECT count(*) FROM costs"), "28");
}

TEST_F(IngestServiceTest, ReadsParquetWithTypedColumnsAndNamesTheRowOfAWrongType) {
  std::string good = (dir_ / "bill.parquet").string();
  std::string bad = (dir_ / "wrong_types.parquet").string();
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    // Typed as a FOCUS Parquet export writes them: DOUBLE costs, TIMESTAMP periods, MAP tags.
    ASSERT_TRUE(conn->Execute(
                        "COPY (SELECT 'A1' AS BillingAccountId, TIMESTAMP '2024-09-01' AS BillingPeriodStart, "
                        "TIMESTAMP '2024-10-01' AS BillingPeriodEnd, TIMESTAMP '2024-09-01' + INTERVAL (i) HOUR "
                        "AS ChargePeriodStart, TIMESTAMP '2024-09-01' + INTERVAL (i + 1) HOUR AS ChargePeriodEnd, "
                        "0.25::DOUBLE AS BilledCost, 0.25::DOUBLE AS EffectiveCost, 0.5::DOUBLE AS ListCost, "
                        "'USD' AS BillingCurrency, 'Usage' AS ChargeCategory, 'Amazon EC2' AS ServiceName, "
                        "'AWS' AS ProviderName, MAP {'team': 'ml'} AS Tags FROM range(40) t(i)) TO '" + good +
                        "' (FORMAT parquet)")
                    .ok());
    ASSERT_TRUE(conn->Execute("COPY (SELECT 'A1' AS BillingAccountId, TIMESTAMP '2024-09-01' AS ChargePeriodStart, "
                              "CASE WHEN i = 7 THEN 'n/a' ELSE '1' END AS BilledCost, '1' AS EffectiveCost "
                              "FROM range(10) t(i)) TO '" + bad + "' (FORMAT parquet)")
                    .ok());
  }
  auto report = service_->Ingest({{good}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->files[0].rows_loaded, 40);
  EXPECT_EQ(report->files[0].billed_cost.ToString(), "10");  // 40 × 0.25
  EXPECT_EQ(report->files[0].list_cost.ToString(), "20");
  EXPECT_EQ(Scalar("SELECT tags['team'] FROM costs LIMIT 1"), "ml");
  EXPECT_EQ(Scalar("SELECT max(charge_period_start)::VARCHAR FROM costs"), "2024-09-02 15:00:00");

  auto wrong = service_->Ingest({{bad}, "auto"});
  ASSERT_FALSE(wrong.ok());
  // Parquet has no lines: rows are numbered from 1.
  EXPECT_NE(wrong.status().message().find(bad + ":8: column \"BilledCost\": \"n/a\" is not a decimal number"),
            std::string::npos)
      << wrong.status().ToString();
  EXPECT_EQ(Scalar("SELECT count(*) FROM costs"), "40");
}

TEST_F(IngestServiceTest, Cur2MapColumnsBecomeTagsAndRegion) {
  std::string path = Write(
      "cur2.csv",
      "bill_payer_account_id,bill_billing_period_start_date,bill_billing_period_end_date,line_item_line_item_type,"
      "line_item_usage_start_date,line_item_usage_end_date,line_item_unblended_cost,line_item_currency_code,"
      "line_item_product_code,resource_tags,cost_category,product\n"
      "111,2024-09-01T00:00:00.000Z,2024-10-01T00:00:00.000Z,Usage,2024-09-02T00:00:00.000Z,"
      "2024-09-02T01:00:00.000Z,0.5,USD,AmazonSageMaker,\"{\"\"user_team\"\": \"\"ml\"\"}\","
      "\"{\"\"env\"\": \"\"prod\"\"}\",\"{\"\"region\"\": \"\"eu-west-1\"\", \"\"location\"\": \"\"EU (Ireland)\"\"}\"\n");
  auto report = service_->Ingest({{path}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->files[0].provider, "aws-cur");
  EXPECT_TRUE(report->rules.empty()) << report->rules[0].rule;
  EXPECT_EQ(Scalar("SELECT tags['user_team'] || '/' || tags['costCategory:env'] FROM costs"), "ml/prod");
  EXPECT_EQ(Scalar("SELECT region_id || '/' || region_name || '/' || service_category FROM costs"),
            "eu-west-1/EU (Ireland)/AI and Machine Learning");
}

// Every line number is the line's own on a file of many DuckDB vectors (the ResourceId of each
// line is its line number).
TEST_F(IngestServiceTest, LineNumbersSurviveAParallelRead) {
  constexpr int kRows = 400'000;
  std::string text = "BilledCost,ChargePeriodStart,BillingAccountId,ResourceId,EffectiveCost\n";
  text.reserve(kRows * 48);
  for (int i = 0; i < kRows; ++i) {
    text += "0.01,2024-09-01T00:00:00Z,A1," + std::to_string(i + 2) + ",0.01\n";
  }
  std::string path = Write("big.csv", text);
  auto report = service_->Ingest({{path}, "auto"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->files[0].rows_loaded, kRows);
  EXPECT_EQ(Scalar("SELECT count(*) FROM costs WHERE x_source_line <> resource_id::BIGINT"), "0");
  EXPECT_EQ(Scalar("SELECT max(x_source_line) FROM costs"), std::to_string(kRows + 1));
}

// Every real export in ../shared/data/billing loads; every line is accounted for.
TEST_F(IngestServiceTest, EveryRealExportLoads) {
  const char* env = std::getenv("MLCOST_SOURCE_DIR");
  std::string root = (env != nullptr && *env != '\0' ? env : MLCOST_DEFAULT_SOURCE_DIR);
  fs::path billing = fs::path(root) / ".." / "shared" / "data" / "billing";
  ASSERT_TRUE(fs::exists(billing)) << billing;
  for (const auto& entry : fs::recursive_directory_iterator(billing)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
    auto report = service_->Ingest({{entry.path().string()}, "auto"});
    ASSERT_TRUE(report.ok()) << entry.path() << ": " << report.status().ToString();
    const FileReport& f = report->files[0];
    EXPECT_GT(f.rows_read, 0) << entry.path();
    EXPECT_EQ(f.rows_loaded + f.rows_rejected, f.rows_read) << entry.path();
  }
}

}  // namespace
}  // namespace mlcost::billing
