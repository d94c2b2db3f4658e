#include "costs/cost_series_loader.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "costs/anomaly_report.h"
#include "costs/calendar.h"
#include "costs/forecast_report.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/test_util.h"

namespace mlcost::costs {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }
int64_t Day(const char* text) { return *ParseDay(text); }

class CostSeriesLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(dir_.path() + "/costs.duckdb");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_.emplace(std::move(conn).value());
    auto migrated = store::Migrate(*conn_, store::SchemaMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }

  // One cost row. `tags` is a DuckDB MAP literal or "NULL".
  void Insert(const std::string& start, const std::string& service, const std::string& effective,
              const std::string& category = "Usage", const std::string& tags = "NULL",
              const std::string& currency = "USD", const std::string& list = "0") {
    const std::string sql =
        "INSERT INTO costs (charge_period_start, charge_period_end, service_name, effective_cost, list_cost, "
        "billed_cost, charge_category, tags, billing_currency, x_source_format, x_source_file, x_source_line, "
        "x_ingest_id) VALUES (CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP) + INTERVAL 1 HOUR, ?, "
        "CAST(? AS DECIMAL(38,12)), CAST(? AS DECIMAL(38,12)), CAST(? AS DECIMAL(38,12)), ?, " +
        tags + ", ?, 'focus', 'test.csv', ?, 1)";
    auto s = conn_->Exec(sql, start, start, service, effective, list, effective, category, currency, ++line_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  store::Connection& conn() { return *conn_; }

 private:
  store::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::optional<store::Connection> conn_;
  int64_t line_ = 0;
};

TEST_F(CostSeriesLoaderTest, SumsEachDayExactlyAndFillsGapsWithZero) {
  Insert("2024-09-01 00:00:00", "EC2", "0.000000000001");
  Insert("2024-09-01 23:00:00", "EC2", "1.100000000002");
  Insert("2024-09-03 05:00:00", "EC2", "2");
  Insert("2024-09-02 05:00:00", "S3", "7.5");
  Insert("2024-09-10 05:00:00", "S3", "99");  // after the range

  SeriesQuery q{*ParseScope("service_name"), CostMetric::kEffective, Day("2024-09-01"), Day("2024-09-04")};
  auto series = LoadDailySeries(conn(), q);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 2u);
  const CostSeries& ec2 = (*series)[0];
  EXPECT_EQ(ec2.value, "EC2");
  EXPECT_EQ(ec2.currency, "USD");
  EXPECT_EQ(ec2.first_day, Day("2024-09-01"));
  ASSERT_EQ(ec2.daily.size(), 4u);
  EXPECT_EQ(ec2.daily[0], D("1.100000000003"));
  EXPECT_TRUE(ec2.daily[1].IsZero());
  EXPECT_EQ(ec2.daily[2], D("2"));
  EXPECT_TRUE(ec2.daily[3].IsZero());
  const CostSeries& s3 = (*series)[1];
  EXPECT_EQ(s3.first_day, Day("2024-09-02"));
  ASSERT_EQ(s3.daily.size(), 3u);
  EXPECT_EQ(s3.daily[0], D("7.5"));
}

TEST_F(CostSeriesLoaderTest, LeavesOutPurchaseAndTaxUnlessAsked) {
  Insert("2024-09-01 00:00:00", "EC2", "1");
  Insert("2024-09-01 00:00:00", "EC2", "500", "Purchase");
  Insert("2024-09-01 00:00:00", "EC2", "30", "Tax");
  Insert("2024-09-01 00:00:00", "EC2", "-0.25", "Credit");
  SeriesQuery q{*ParseScope("total"), CostMetric::kEffective, Day("2024-09-01"), Day("2024-09-01")};
  auto series = LoadDailySeries(conn(), q);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].value, "total");
  EXPECT_EQ((*series)[0].daily[0], D("0.75"));
  q.include_purchase_and_tax = true;
  series = LoadDailySeries(conn(), q);
  ASSERT_TRUE(series.ok());
  EXPECT_EQ((*series)[0].daily[0], D("530.75"));
}

TEST_F(CostSeriesLoaderTest, GroupsByTagWithUnallocatedAndByCurrencyAndMetric) {
  Insert("2024-09-01 00:00:00", "EC2", "1", "Usage", "MAP {'team': 'ml'}", "USD", "3");
  Insert("2024-09-01 00:00:00", "EC2", "2", "Usage", "MAP {'env': 'dev'}", "USD", "4");
  Insert("2024-09-01 00:00:00", "EC2", "5", "Usage", "NULL", "EUR", "6");
  SeriesQuery q{*ParseScope("tag:team"), CostMetric::kList, Day("2024-09-01"), Day("2024-09-01")};
  auto series = LoadDailySeries(conn(), q);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 3u);
  EXPECT_EQ((*series)[0].value, "ml");
  EXPECT_EQ((*series)[0].daily[0], D("3"));
  EXPECT_EQ((*series)[1].value, kUnallocated);
  EXPECT_EQ((*series)[1].currency, "EUR");
  EXPECT_EQ((*series)[1].daily[0], D("6"));
  EXPECT_EQ((*series)[2].value, kUnallocated);
  EXPECT_EQ((*series)[2].currency, "USD");
  EXPECT_EQ((*series)[2].daily[0], D("4"));
}

TEST_F(CostSeriesLoaderTest, RejectsUnknownScopesAndMetrics) {
  for (const char* bad : {"", "tag:", "service", "service_name; DROP TABLE costs", "x_source_file"}) {
    auto s = ParseScope(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.status().message().find("invalid scope"), std::string::npos);
  }
  EXPECT_TRUE(ParseScope("region_id").ok());
  EXPECT_FALSE(ParseCostMetric("amortized").ok());
  EXPECT_EQ(*ParseCostMetric("billed"), CostMetric::kBilled);
}

TEST_F(CostSeriesLoaderTest, LastCostDayIsEmptyOnAnEmptyTable) {
  auto none = LastCostDay(conn());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  Insert("2024-09-05 23:00:00", "EC2", "1");
  auto last = LastCostDay(conn());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(**last, Day("2024-09-05"));
}

TEST_F(CostSeriesLoaderTest, FindAnomaliesReportsTheInjectedSpike) {
  // 60 days of 24 hourly rows: 1.00 each (24/day) on weekdays, 0.50 (12/day) on weekends,
  // with day 2024-10-16 (a Wednesday) at 3.00 an hour.
  const int64_t first = Day("2024-08-20");
  ASSERT_TRUE(conn().Begin().ok());
  for (int64_t d = first; d < first + 60; ++d) {
    const std::string day = FormatDay(d);
    const int weekday = static_cast<int>((d + 4) % 7);  // 0 = Sunday
    std::string hourly = weekday == 0 || weekday == 6 ? "0.5" : "1";
    if (day == "2024-10-16") hourly = "3";
    for (int h = 0; h < 24; h += 6) {
      // Four rows of six hours each.
      const std::string amount = hourly == "1" ? "6" : hourly == "0.5" ? "3" : "18";
      Insert(day + " " + (h < 10 ? "0" : "") + std::to_string(h) + ":00:00", "EC2", amount);
    }
  }
  ASSERT_TRUE(conn().Commit().ok());
  AnomalyQuery q;
  q.scope = *ParseScope("service_name");
  auto report = FindAnomalies(conn(), q);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->until, first + 59);
  EXPECT_EQ(report->since, first + 30);
  ASSERT_EQ(report->anomalies.size(), 1u);
  const Anomaly& a = report->anomalies[0];
  EXPECT_EQ(FormatDay(a.day), "2024-10-16");
  EXPECT_EQ(a.value, "EC2");
  EXPECT_EQ(a.point.actual, D("72"));
  EXPECT_EQ(a.point.expected, D("24"));
  EXPECT_EQ(a.point.impact, D("48"));
  EXPECT_DOUBLE_EQ(*a.point.impact_percent, 200.0);

  q.since = Day("2024-10-17");
  report = FindAnomalies(conn(), q);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->anomalies.empty());
  q.until = Day("2024-10-01");
  EXPECT_FALSE(FindAnomalies(conn(), q).ok());
}

TEST_F(CostSeriesLoaderTest, ForecastMonthAddsExpectedDaysToMonthToDate) {
  for (const char* day : {"2024-08-20", "2024-08-21", "2024-08-22", "2024-08-23", "2024-08-24", "2024-08-25",
                          "2024-08-26", "2024-08-27", "2024-08-28", "2024-08-29", "2024-08-30", "2024-08-31",
                          "2024-09-01", "2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06",
                          "2024-09-07", "2024-09-08", "2024-09-09", "2024-09-10"}) {
    Insert(std::string(day) + " 10:00:00", "EC2", "2.5");
  }
  ForecastQuery q;
  q.scope = *ParseScope("service_name");
  auto report = ForecastMonth(conn(), q);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->month.ToString(), "2024-09");
  ASSERT_TRUE(report->as_of.has_value());
  EXPECT_EQ(FormatDay(*report->as_of), "2024-09-10");
  ASSERT_EQ(report->scopes.size(), 1u);
  const MonthForecast& f = report->scopes[0].forecast;
  EXPECT_EQ(f.month_to_date, D("25"));
  EXPECT_EQ(f.days_remaining, 20);
  EXPECT_EQ(f.forecast, D("75"));

  q.month = *ParseMonth("2024-08");  // a past month: its actual total
  report = ForecastMonth(conn(), q);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->scopes[0].forecast.forecast, D("30"));
  EXPECT_EQ(report->scopes[0].forecast.days_remaining, 0);
}

}  // namespace
}  // namespace mlcost::costs
