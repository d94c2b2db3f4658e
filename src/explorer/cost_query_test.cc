#include "explorer/cost_query.h"

#include <gtest/gtest.h>

#include "explorer/query_builder.h"

namespace mlcost::explorer {
namespace {

const std::set<std::string> kColumns = {"service_name", "region_id", "sub_account_id"};

TEST(ParseDimension, WhitelistsColumnsTagsAndAllocation) {
  EXPECT_EQ(ParseDimension("service_name", kColumns)->kind, Dimension::Kind::kColumn);
  EXPECT_EQ(ParseDimension("team", kColumns)->kind, Dimension::Kind::kAllocation);
  auto tag = ParseDimension("tag:cost center", kColumns);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->kind, Dimension::Kind::kTag);
  EXPECT_EQ(tag->name, "cost center");
  EXPECT_EQ(tag->Label(), "tag:cost center");
  for (const char* bad : {"billed_cost", "service_name; DROP TABLE costs", "\"service_name\"", "SERVICE_NAME", "",
                          "tag:", "1"}) {
    auto d = ParseDimension(bad, kColumns);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_NE(ParseDimension("nope", kColumns).status().message().find("service_name"), std::string::npos);
}

TEST(ParseFilter, SplitsDimensionFromValue) {
  auto f = ParseFilter("service_name:Amazon S3", kColumns);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->first.name, "service_name");
  EXPECT_EQ(f->second, "Amazon S3");
  f = ParseFilter("tag:environment:prod:blue", kColumns);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->first, (Dimension{Dimension::Kind::kTag, "environment"}));
  EXPECT_EQ(f->second, "prod:blue");
  f = ParseFilter("tag:aws:createdBy=alice", kColumns);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->first.name, "aws:createdBy");
  EXPECT_EQ(f->second, "alice");
  f = ParseFilter("region_id:", kColumns);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->second, "");
  EXPECT_FALSE(ParseFilter("service_name", kColumns).ok());
  EXPECT_FALSE(ParseFilter("billed_cost:1", kColumns).ok());
}

TEST(ParseCostQuery, DefaultsAndLists) {
  auto q = ParseCostQuery({}, kColumns);
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->group_by.empty());
  EXPECT_EQ(q->granularity, Granularity::kDay);
  EXPECT_EQ(q->metric, CostMetric::kBilled);
  EXPECT_EQ(q->top, 0);

  CostQueryText t;
  t.group_by = {"team, service_name", "tag:env"};
  t.granularity = "month";
  t.metric = "amortized";
  t.filters = {"service_name:A", "team:ml", "service_name:B"};
  t.since = "2024-09-01";
  t.until = "2024-10-01T00:00:00Z";
  t.top = "5";
  q = ParseCostQuery(t, kColumns);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->group_by.size(), 3u);
  EXPECT_EQ(q->group_by[1].name, "service_name");
  EXPECT_EQ(q->metric, CostMetric::kEffective);
  ASSERT_EQ(q->filters.size(), 2u);
  EXPECT_EQ(q->filters[0].values, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(*q->until - *q->since, 30LL * 86400 * 1000000);
  EXPECT_EQ(q->top, 5);
}

TEST(ParseCostQuery, RejectsBadValuesNamingTheParameter) {
  auto reject = [](CostQueryText t, const char* param) {
    auto q = ParseCostQuery(t, kColumns);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(q.status().message().find(param), std::string::npos) << q.status().message();
  };
  reject({.granularity = "fortnight"}, "granularity");
  reject({.metric = "cheapest"}, "metric");
  reject({.top = "-1"}, "top");
  reject({.top = "3x"}, "top");
  reject({.since = "yesterday"}, "since");
  reject({.since = "2024-09-02", .until = "2024-09-01"}, "since");
  reject({.group_by = {"team,team"}}, "twice");
  reject({.group_by = {"nope"}}, "nope");
}

TEST(QueryBuilder, UserTextOnlyInBinds) {
  CostQueryText t;
  t.group_by = {"tag:x'); DROP TABLE costs; --"};
  t.filters = {"service_name:'; DELETE FROM costs; --"};
  auto q = ParseCostQuery(t, kColumns);
  ASSERT_TRUE(q.ok());
  AllocationSql alloc;
  SqlText sql = BuildCostSql(*q, alloc);
  EXPECT_EQ(sql.sql.find("DROP"), std::string::npos);
  EXPECT_EQ(sql.sql.find("DELETE"), std::string::npos);
  ASSERT_EQ(sql.binds.size(), 2u);
  EXPECT_EQ(std::get<std::string>(sql.binds[0]), "x'); DROP TABLE costs; --");
}

TEST(QueryBuilder, RollupOnlyForOneAllocationDimensionAndWholeDays) {
  auto parse = [](CostQueryText t) { return *ParseCostQuery(t, kColumns); };
  EXPECT_TRUE(RollupAnswers(parse({.group_by = {"team"}})));
  EXPECT_TRUE(RollupAnswers(parse({})));
  EXPECT_TRUE(RollupAnswers(parse({.group_by = {"user"}, .granularity = "week", .filters = {"user:a"}})));
  EXPECT_TRUE(RollupAnswers(parse({.group_by = {"team"}, .since = "2024-09-01", .until = "2024-09-08"})));
  EXPECT_FALSE(RollupAnswers(parse({.group_by = {"team"}, .granularity = "hour"})));
  EXPECT_FALSE(RollupAnswers(parse({.group_by = {"team", "user"}})));
  EXPECT_FALSE(RollupAnswers(parse({.group_by = {"team"}, .filters = {"user:a"}})));
  EXPECT_FALSE(RollupAnswers(parse({.group_by = {"service_name"}})));
  EXPECT_FALSE(RollupAnswers(parse({.group_by = {"team"}, .since = "2024-09-01T06:00:00Z"})));
}

}  // namespace
}  // namespace mlcost::explorer
