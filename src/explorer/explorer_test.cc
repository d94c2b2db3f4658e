#include "explorer/explorer.h"

#include <gtest/gtest.h>

#include "explorer/explorer_test_util.h"

namespace mlcost::explorer {
namespace {

class ExplorerTest : public ExplorerStoreTest {
 protected:
  void SetUp() override {
    ExplorerStoreTest::SetUp();
    explorer_ = std::make_unique<Explorer>(*pool_, clock_);
    // Two days; teams a and b by tag, one untagged line, one EUR line.
    lines_ = {
        {.start = "2024-09-01T00:00:00Z", .cost = "1.000000000001", .tags = {{"team", "a"}}, .service = "S3"},
        {.start = "2024-09-01T05:00:00Z", .cost = "2.5", .tags = {{"team", "b"}}, .service = "EC2"},
        {.start = "2024-09-01T23:00:00Z", .cost = "0.25", .service = "EC2"},
        {.start = "2024-09-02T00:00:00Z", .cost = "4", .tags = {{"team", "a"}}, .service = "EC2"},
        {.start = "2024-09-02T13:00:00Z", .cost = "0.000000000003", .tags = {{"team", "b"}}, .service = "S3"},
        {.start = "2024-09-02T13:00:00Z", .cost = "7", .tags = {{"team", "a"}}, .currency = "EUR"},
    };
    for (const TestLine& l : lines_) Add(l);
    explorer_ = std::make_unique<Explorer>(*pool_, clock_);
  }
  void TearDown() override {
    explorer_.reset();
    ExplorerStoreTest::TearDown();
  }

  CostReport Run(CostQueryText text) {
    auto q = explorer_->Parse(text);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto r = explorer_->Costs(*q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CostReport{};
  }

  // Expected sums computed from lines_ directly: (currency, day, team) -> cost.
  std::map<std::tuple<std::string, std::string, std::string>, Decimal> Expected() {
    std::map<std::tuple<std::string, std::string, std::string>, Decimal> out;
    for (const TestLine& l : lines_) {
      auto it = l.tags.find("team");
      std::string team = it == l.tags.end() ? "unallocated" : it->second;
      out[{l.currency, l.start.substr(0, 10), team}] += *Decimal::Parse(l.cost);
    }
    return out;
  }
  std::map<std::tuple<std::string, std::string, std::string>, Decimal> Got(const CostReport& r) {
    std::map<std::tuple<std::string, std::string, std::string>, Decimal> out;
    for (const CostRow& row : r.rows) out[{row.currency, FormatIso8601(*row.period).substr(0, 10), *row.keys[0]}] += row.cost;
    return out;
  }

  std::unique_ptr<Explorer> explorer_;
  std::vector<TestLine> lines_;
};

TEST_F(ExplorerTest, TeamByDayFromTheRollupMatchesTheLines) {
  CostReport r = Run({.group_by = {"team"}, .granularity = "day"});
  EXPECT_TRUE(r.from_rollup);
  EXPECT_EQ(Got(r), Expected());
  EXPECT_EQ(r.lines, static_cast<int64_t>(lines_.size()));
  EXPECT_EQ(r.totals["USD"], *Decimal::Parse("7.750000000004"));
}

TEST_F(ExplorerTest, TeamByDayFromTheCostsTableMatchesTheLines) {
  // A second dimension forces the scan of costs; summing over it gives team x day again.
  CostReport r = Run({.group_by = {"team", "service_name"}, .granularity = "day"});
  EXPECT_FALSE(r.from_rollup);
  EXPECT_EQ(Got(r), Expected());
}

TEST_F(ExplorerTest, RollupFollowsNewLinesAndRuleChanges) {
  Run({.group_by = {"team"}});
  Add({.start = "2024-09-02T01:00:00Z", .cost = "10", .tags = {{"team", "c"}}});
  lines_.push_back({.start = "2024-09-02T01:00:00Z", .cost = "10", .tags = {{"team", "c"}}});
  EXPECT_EQ(Got(Run({.group_by = {"team"}})), Expected());

  auto rule = explorer_->CreateRule({0, 0, "team", "tag", "team", "c", "a"});
  ASSERT_TRUE(rule.ok()) << rule.status().ToString();
  auto got = Got(Run({.group_by = {"team"}}));
  // With a rule for team, the default tag rule no longer applies: only the c line becomes a, the
  // lines tagged a or b are unallocated now.
  EXPECT_EQ(got[std::make_tuple("USD", "2024-09-02", "a")], *Decimal::Parse("10"));
  EXPECT_EQ(got[std::make_tuple("USD", "2024-09-02", "unallocated")], *Decimal::Parse("4.000000000003"));
  EXPECT_EQ(got.count(std::make_tuple("USD", "2024-09-01", "b")), 0u);
}

TEST_F(ExplorerTest, FiltersMetricsAndRange) {
  CostReport r = Run({.granularity = "none", .metric = "effective", .filters = {"service_name:EC2", "team:unallocated"},
                      .since = "2024-09-01", .until = "2024-09-02"});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].cost, *Decimal::Parse("0.25"));
  r = Run({.granularity = "none", .filters = {"service_name:'; DELETE FROM costs; --"}});
  EXPECT_TRUE(r.rows.empty());
  r = Run({.granularity = "none", .filters = {"tag:team:a", "tag:team:b"}});
  EXPECT_EQ(r.totals["USD"], *Decimal::Parse("7.500000000004"));
  EXPECT_EQ(r.totals["EUR"], *Decimal::Parse("7"));
}

TEST_F(ExplorerTest, TopFoldsTheRestIntoOther) {
  CostReport r = Run({.group_by = {"team"}, .granularity = "none", .top = "1"});
  std::map<std::pair<std::string, std::string>, Decimal> got;
  for (const CostRow& row : r.rows) got[{row.currency, *row.keys[0]}] = row.cost;
  EXPECT_EQ(got[std::make_pair("USD", "a")], *Decimal::Parse("5.000000000001"));
  EXPECT_EQ(got[std::make_pair("USD", "other")], *Decimal::Parse("2.750000000003"));
  EXPECT_EQ(got[std::make_pair("EUR", "a")], *Decimal::Parse("7"));
  EXPECT_EQ(got.size(), 3u);
}

TEST_F(ExplorerTest, LeaderboardComparesWithThePreviousWindow) {
  auto rows = explorer_->Leaderboard({Dimension::Kind::kAllocation, "team"}, CostMetric::kBilled,
                                     *ParseIso8601("2024-09-01"), *ParseIso8601("2024-09-02"),
                                     *ParseIso8601("2024-09-03"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::map<std::pair<std::string, std::string>, std::pair<Decimal, Decimal>> got;
  for (const LeaderboardRow& r : *rows) got[{r.currency, r.key}] = {r.current, r.previous};
  EXPECT_EQ(got[std::make_pair("USD", "a")], std::make_pair(*Decimal::Parse("4"), *Decimal::Parse("1.000000000001")));
  EXPECT_EQ(got[std::make_pair("USD", "unallocated")], std::make_pair(Decimal(), *Decimal::Parse("0.25")));
  EXPECT_EQ((*rows)[0].currency, "EUR");
}

}  // namespace
}  // namespace mlcost::explorer
