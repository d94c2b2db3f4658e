#include "quota/quota_status.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "quota/slack_payload.h"

namespace mlcost::quota {
namespace {

Micros At(const char* iso) { return *ParseIso8601(iso); }
Decimal D(const char* s) { return *Decimal::Parse(s); }

Quota MonthQuota(const char* limit) {
  Quota q;
  q.quota_id = 7;
  q.scope = kScopeTeam;
  q.scope_name = "vision";
  q.period = "month";
  q.unit = kUnitMoney;
  q.currency = "USD";
  q.limit = D(limit);
  q.actions = {kActionAlert};
  q.webhook_url = "http://127.0.0.1:1/hook";
  q.thresholds = {D("0.8"), D("1")};
  q.forecast_alert = true;
  return q;
}

TEST(ForecastTest, ExtrapolatesTheAverageRateToThePeriodEnd) {
  // 10 of 30 days of June gone, 100 spent: 10 a day, 200 more by the end.
  FakeClock clock(At("2026-06-11T00:00:00Z"));
  PeriodWindow june = *PeriodAt("month", clock.Now());
  EXPECT_EQ(*PeriodEndForecast(D("100"), june, clock.Now()), D("300"));
  // Half a day into a day: double.
  clock.Set(At("2026-06-11T12:00:00Z"));
  EXPECT_EQ(*PeriodEndForecast(D("0.5"), *PeriodAt("day", clock.Now()), clock.Now()), D("1"));
  // Exact decimals: 1/3 of a week gone.
  EXPECT_EQ(*PeriodEndForecast(D("1"), PeriodWindow{0, 3 * 1000000}, 1000000), D("3"));
}

TEST(ForecastTest, NoForecastWithoutAnEnd) {
  EXPECT_FALSE(PeriodEndForecast(D("5"), PeriodWindow{}, At("2026-06-11T00:00:00Z")));
  // A window that does not hold now (evaluated late) has none either.
  EXPECT_FALSE(PeriodEndForecast(D("5"), PeriodWindow{0, 10}, 20));
}

TEST(JudgeTest, StatesFollowUseForecastAndThresholds) {
  const Micros now = At("2026-06-16T00:00:00Z");  // 15 of 30 days
  PeriodWindow june = *PeriodAt("month", now);
  Quota q = MonthQuota("100");

  QuotaUse use;
  use.runs = D("30");
  QuotaStatus s = Judge(q, use, june, now);  // forecast 60
  EXPECT_EQ(s.state, kStateOk);
  EXPECT_TRUE(s.crossed.empty());
  EXPECT_DOUBLE_EQ(s.fraction, 0.3);

  use.billed = D("25");  // 55 -> forecast 110 > 100
  s = Judge(q, use, june, now);
  EXPECT_EQ(s.state, kStateForecast);
  EXPECT_EQ(*s.forecast, D("110"));
  EXPECT_EQ(DueAlerts(q, s), std::vector<std::string>{"forecast"});

  use.runs = D("55");  // 80 = 0.8 exactly crosses the threshold
  s = Judge(q, use, june, now);
  ASSERT_EQ(s.crossed.size(), 1u);
  EXPECT_EQ(s.crossed[0], D("0.8"));
  EXPECT_EQ(DueAlerts(q, s), (std::vector<std::string>{"threshold:0.8", "forecast"}));

  use.runs = D("75");  // 100: exceeded, no forecast alert any more
  s = Judge(q, use, june, now);
  EXPECT_EQ(s.state, kStateExceeded);
  EXPECT_TRUE(s.exhausted());
  EXPECT_EQ(DueAlerts(q, s), (std::vector<std::string>{"threshold:0.8", "threshold:1"}));
}

TEST(JudgeTest, WarningBelowLimitWithoutForecast) {
  Quota q = MonthQuota("10");
  q.period = "total";
  QuotaUse use;
  use.runs = D("9.99");
  QuotaStatus s = Judge(q, use, PeriodWindow{}, At("2026-06-16T00:00:00Z"));
  EXPECT_EQ(s.state, kStateWarning);
  EXPECT_FALSE(s.forecast);
  q.actions = {kActionBlock};
  EXPECT_TRUE(DueAlerts(q, s).empty());  // no alert action, no alerts
}

TEST(SlackPayloadTest, NamesQuotaUseAndLimit) {
  Quota q = MonthQuota("100");
  QuotaUse use;
  use.runs = D("85.5");
  const Micros now = At("2026-06-16T00:00:00Z");
  QuotaStatus s = Judge(q, use, *PeriodAt("month", now), now);
  nlohmann::json p = SlackPayload(q, s, "threshold:0.8");
  std::string text = p["text"].get<std::string>();
  EXPECT_NE(text.find("quota 7"), std::string::npos) << text;
  EXPECT_NE(text.find("team vision"), std::string::npos) << text;
  EXPECT_NE(text.find("85.5 USD"), std::string::npos) << text;
  EXPECT_NE(text.find("100 USD"), std::string::npos) << text;
  EXPECT_NE(text.find("85.5%"), std::string::npos) << text;
  ASSERT_TRUE(p["blocks"].is_array());
  EXPECT_EQ(p["blocks"][0]["type"], "header");
  nlohmann::json f = SlackPayload(q, s, "forecast");
  EXPECT_NE(f["text"].get<std::string>().find("forecast"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::quota
