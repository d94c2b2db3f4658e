#include "quota/quota.h"

#include <gtest/gtest.h>

namespace mlcost::quota {
namespace {

using nlohmann::json;

QuotaParseContext Usd() { return QuotaParseContext{{"USD"}}; }

json Valid() {
  return json{{"scope", "team"}, {"name", "vision"}, {"period", "month"}, {"limit", "100.50"},
              {"actions", {"alert", "block"}}, {"webhook_url", "http://127.0.0.1:9/hook"}};
}

// The message of a rejected body, which must name `field`.
void ExpectRejected(const json& body, const std::string& field, const QuotaParseContext& ctx = Usd()) {
  Result<Quota> q = ParseQuota(body, ctx);
  ASSERT_FALSE(q.ok()) << body.dump();
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(q.status().message().find(field), std::string::npos) << q.status().message();
}

TEST(ParseQuotaTest, AcceptsAndDefaults) {
  Result<Quota> q = ParseQuota(Valid(), Usd());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->scope, "team");
  EXPECT_EQ(q->scope_name, "vision");
  EXPECT_EQ(q->unit, "money");
  EXPECT_EQ(q->currency, "USD");
  EXPECT_EQ(q->limit, *Decimal::Parse("100.5"));
  EXPECT_EQ(q->actions, (std::vector<std::string>{"alert", "block"}));
  ASSERT_EQ(q->thresholds.size(), 2u);
  EXPECT_EQ(q->thresholds[0], *Decimal::Parse("0.8"));
  EXPECT_FALSE(q->forecast_alert);

  json org = {{"scope", "org"}, {"period", "total"}, {"limit", 40}, {"unit", "gpu_hours"}, {"actions", {"stop"}}};
  Result<Quota> o = ParseQuota(org, Usd());
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->scope_name, "");
  EXPECT_EQ(o->currency, "");
  EXPECT_EQ(o->Describe(), "quota 0 (org, total, 40 GPU-hours)");
}

TEST(ParseQuotaTest, RejectsBadLimits) {
  json b = Valid();
  b["limit"] = "0";
  ExpectRejected(b, "limit");
  b["limit"] = -5;
  ExpectRejected(b, "limit");
  b["limit"] = "ten";
  ExpectRejected(b, "limit");
  b.erase("limit");
  ExpectRejected(b, "limit");
}

TEST(ParseQuotaTest, RejectsUnknownNames) {
  json b = Valid();
  b["scope"] = "department";
  ExpectRejected(b, "scope");
  b = Valid();
  b["period"] = "quarter";
  ExpectRejected(b, "period");
  b = Valid();
  b["unit"] = "tokens";
  ExpectRejected(b, "unit");
  b = Valid();
  b["actions"] = {"alert", "email"};
  ExpectRejected(b, "actions");
  b = Valid();
  b["colour"] = "red";
  ExpectRejected(b, "colour");
}

TEST(ParseQuotaTest, RejectsScopeNameMistakes) {
  json b = Valid();
  b.erase("name");
  ExpectRejected(b, "name");
  json org = {{"scope", "org"}, {"name", "acme"}, {"period", "day"}, {"limit", 1}, {"actions", {"block"}}};
  ExpectRejected(org, "name");
}

TEST(ParseQuotaTest, CurrencyMustMatchCatalogAndBill) {
  json b = Valid();
  b["currency"] = "EUR";
  ExpectRejected(b, "currency");
  // Several currencies on the bill: the body must say which.
  ExpectRejected(Valid(), "currency", QuotaParseContext{{"EUR", "USD"}});
  b["currency"] = "EUR";
  EXPECT_TRUE(ParseQuota(b, QuotaParseContext{{"EUR", "USD"}}).ok());
  // GPU-hours take no currency.
  b["unit"] = "gpu_hours";
  ExpectRejected(b, "currency", QuotaParseContext{{"EUR", "USD"}});
}

TEST(ParseQuotaTest, WebhookMustBeHttp) {
  json b = Valid();
  for (const char* url : {"ftp://example.com/x", "file:///etc/passwd", "127.0.0.1:9/hook", "http://"}) {
    b["webhook_url"] = url;
    ExpectRejected(b, "webhook_url");
  }
  b["webhook_url"] = "https://hooks.slack.com/services/T/B/X";
  EXPECT_TRUE(ParseQuota(b, Usd()).ok());
  b.erase("webhook_url");
  ExpectRejected(b, "webhook_url");  // alert needs somewhere to go
}

TEST(ParseQuotaTest, Thresholds) {
  json b = Valid();
  b["thresholds"] = {"1.0", 0.5, "0.5"};
  Result<Quota> q = ParseQuota(b, Usd());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->thresholds.size(), 2u);  // sorted, unique
  EXPECT_EQ(q->thresholds[0], *Decimal::Parse("0.5"));
  b["thresholds"] = {0};
  ExpectRejected(b, "thresholds");
  b["thresholds"] = json::array();
  ExpectRejected(b, "thresholds");
}

TEST(ConflictsTest, SameScopeNamePeriodAndUnit) {
  Quota a = *ParseQuota(Valid(), Usd());
  Quota b = a;
  EXPECT_TRUE(Conflicts(a, b));
  b.unit = "gpu_hours";
  EXPECT_FALSE(Conflicts(a, b));
  b = a;
  b.period = "week";
  EXPECT_FALSE(Conflicts(a, b));
  b = a;
  b.scope = "user";
  EXPECT_FALSE(Conflicts(a, b));
}

}  // namespace
}  // namespace mlcost::quota
