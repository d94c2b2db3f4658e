// GET /api/v1/anomalies and GET /api/v1/forecast through the Router (no socket), over cost rows
// inserted into the fixture's database.
#include <string>

#include "api/api_test_fixture.h"
#include "tracking/read_pool.h"

namespace mlcost::api {
namespace {

class CostInsightTest : public ApiTest {
 protected:
  // One row per day from 2024-08-01 for `days` days: 10 on weekdays, 4 on weekends, and
  // `spike` on 2024-09-18 (a Wednesday).
  void InsertDays(int days, const std::string& spike) {
    auto conn = tracking_->reads().Acquire();
    ASSERT_TRUE(conn.ok());
    auto s = (*conn)->Exec(
        "INSERT INTO costs (charge_period_start, service_name, effective_cost, billing_currency, charge_category, "
        "x_source_format, x_source_file, x_source_line, x_ingest_id) "
        "SELECT TIMESTAMP '2024-08-01 06:00:00' + i * INTERVAL 1 DAY, 'Compute', "
        "CASE WHEN CAST(TIMESTAMP '2024-08-01' + i * INTERVAL 1 DAY AS DATE) = DATE '2024-09-18' "
        "THEN CAST(? AS DECIMAL(38,12)) "
        "WHEN dayofweek(TIMESTAMP '2024-08-01' + i * INTERVAL 1 DAY) IN (0, 6) THEN 4 ELSE 10 END, "
        "'USD', 'Usage', 'focus', 't.csv', i, 1 FROM range(?) t(i)",
        spike, days);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};

TEST_F(CostInsightTest, EmptyTableGivesEmptyAnswers) {
  json a = Get("/api/v1/anomalies");
  EXPECT_EQ(a["anomalies"], json::array());
  EXPECT_TRUE(a["since"].is_null());
  EXPECT_EQ(a["scope"], "service_name");
  json f = Get("/api/v1/forecast", {{"month", "2024-09"}});
  EXPECT_EQ(f["forecasts"], json::array());
  EXPECT_EQ(f["month"], "2024-09");
  EXPECT_TRUE(f["as_of"].is_null());
}

TEST_F(CostInsightTest, ReportsTheSpikeWithMoneyAsStrings) {
  InsertDays(60, "31.5");  // through 2024-09-29
  json a = Get("/api/v1/anomalies", {{"scope", "service_name"}, {"metric", "effective"}});
  EXPECT_EQ(a["until"], "2024-09-29");
  EXPECT_EQ(a["since"], "2024-08-31");
  ASSERT_EQ(a["anomalies"].size(), 1u) << a.dump();
  const json& x = a["anomalies"][0];
  EXPECT_EQ(x["scope"], "service_name");
  EXPECT_EQ(x["value"], "Compute");
  EXPECT_EQ(x["date"], "2024-09-18");
  EXPECT_EQ(x["currency"], "USD");
  EXPECT_EQ(x["actual"], "31.5");
  EXPECT_EQ(x["expected"], "10");
  EXPECT_EQ(x["impact"], "21.5");
  EXPECT_DOUBLE_EQ(x["impact_percent"].get<double>(), 215.0);

  // A minimum impact above the spike's hides it.
  json none = Get("/api/v1/anomalies", {{"min_impact", "21.51"}});
  EXPECT_EQ(none["anomalies"].size(), 0u);
  json window = Get("/api/v1/anomalies", {{"since", "2024-09-01"}, {"until", "2024-09-17"}});
  EXPECT_EQ(window["anomalies"].size(), 0u);
}

TEST_F(CostInsightTest, ForecastsTheRestOfTheMonthByWeekday) {
  InsertDays(41, "10");  // 2024-08-01 .. 2024-09-10, a plain weekday pattern
  json f = Get("/api/v1/forecast", {{"scope", "total"}});
  EXPECT_EQ(f["month"], "2024-09");
  EXPECT_EQ(f["as_of"], "2024-09-10");
  EXPECT_EQ(f["days_observed"], 10);
  EXPECT_EQ(f["days_remaining"], 20);
  ASSERT_EQ(f["forecasts"].size(), 1u);
  const json& s = f["forecasts"][0];
  // Sep 1-10 2024: Sun, Mon..Fri, Sat, Sun, Mon, Tue = 3 weekend days, 7 weekdays.
  EXPECT_EQ(s["month_to_date"], "82");
  // Sep 11-30: 14 weekdays, 6 weekend days.
  EXPECT_EQ(s["expected_remaining"], "164");
  EXPECT_EQ(s["forecast"], "246");
  EXPECT_EQ(f["total"]["USD"]["forecast"], "246");
}

TEST_F(CostInsightTest, BadParametersAreClear400s) {
  struct Case {
    const char* path;
    const char* key;
    const char* value;
    const char* needle;
  };
  for (const Case& c : {Case{"/api/v1/anomalies", "scope", "team", "invalid scope"},
                        Case{"/api/v1/anomalies", "scope", "tag:", "invalid scope"},
                        Case{"/api/v1/anomalies", "metric", "amortized", "invalid metric"},
                        Case{"/api/v1/anomalies", "since", "last week", "parameter 'since'"},
                        Case{"/api/v1/anomalies", "min_impact", "-1", "parameter 'min_impact'"},
                        Case{"/api/v1/anomalies", "min_impact_percent", "-5", "min_impact_percent"},
                        Case{"/api/v1/anomalies", "direction", "sideways", "direction"},
                        Case{"/api/v1/anomalies", "colour", "red", "unknown field 'colour'"},
                        Case{"/api/v1/forecast", "month", "2024-13", "parameter 'month'"},
                        Case{"/api/v1/forecast", "scope", "x_source_file", "invalid scope"}}) {
    std::string message = ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", c.path, "", {{c.key, c.value}});
    EXPECT_NE(message.find(c.needle), std::string::npos) << c.key << "=" << c.value << ": " << message;
  }
  std::string message = ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/anomalies", "",
                                    {{"since", "2024-09-02"}, {"until", "2024-09-01"}});
  EXPECT_NE(message.find("since"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::api
