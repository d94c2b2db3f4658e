#include <gtest/gtest.h>

#include "explorer/allocation_rule.h"
#include "explorer/allocation_store.h"
#include "explorer/explorer_test_util.h"

namespace mlcost::explorer {
namespace {

class AllocationTest : public ExplorerStoreTest {
 protected:
  // The allocation of `dimension` for each line, in insertion order.
  std::vector<std::string> Evaluate(const std::string& dimension) {
    auto rules = AllocationStore::List(*conn_);
    EXPECT_TRUE(rules.ok());
    SqlText sql;
    sql.Add("SELECT ").Add(AllocationExpression(*rules, dimension)).Add(" FROM costs ORDER BY x_source_line");
    auto r = RunSql(*conn_, sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    for (uint64_t i = 0; i < r->RowCount(); ++i) out.push_back(r->GetString(0, i));
    return out;
  }
  AllocationRule Create(std::string dimension, std::string kind, std::string key, std::string value,
                        std::string target, int64_t position = 0) {
    AllocationRule r{0, position, dimension, kind, key, value, target};
    auto created = AllocationStore::Create(*conn_, r, 0);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : r;
  }
};

TEST_F(AllocationTest, DefaultRuleIsTheTagNamedAfterTheDimension) {
  Add({.start = "2024-09-01", .cost = "1", .tags = {{"team", "ml"}}});
  Add({.start = "2024-09-01", .cost = "1", .tags = {{"team", ""}}});
  Add({.start = "2024-09-01", .cost = "1", .tags = {{"Team", "x"}}});
  Add({.start = "2024-09-01", .cost = "1"});
  EXPECT_EQ(Evaluate("team"), (std::vector<std::string>{"ml", "unallocated", "unallocated", "unallocated"}));
  EXPECT_EQ(Evaluate("model"), (std::vector<std::string>(4, "unallocated")));
}

TEST_F(AllocationTest, FirstMatchingRuleInPositionOrderWins) {
  Add({.start = "2024-09-01", .cost = "1", .tags = {{"team", "ml"}, {"cc", "42"}}, .resource_id = "gpu-box-1"});
  Add({.start = "2024-09-01", .cost = "1", .tags = {{"cc", "42"}}, .resource_id = "web-1"});
  Add({.start = "2024-09-01", .cost = "1", .resource_id = "gpu-box-2", .sub_account = "acct-9"});
  Add({.start = "2024-09-01", .cost = "1", .sub_account = "acct-9"});
  Add({.start = "2024-09-01", .cost = "1"});
  AllocationRule by_tag = Create("team", "tag", "team", "*", "");
  AllocationRule by_cc = Create("team", "tag", "cc", "42", "finance");
  AllocationRule by_name = Create("team", "name_prefix", "", "gpu-box", "research");
  Create("team", "account", "", "acct-9", "platform");
  Create("user", "tag", "cc", "", "");  // another dimension: must not affect team
  EXPECT_EQ(Evaluate("team"),
            (std::vector<std::string>{"ml", "finance", "research", "platform", "unallocated"}));
  EXPECT_EQ(Evaluate("user"), (std::vector<std::string>{"42", "42", "unallocated", "unallocated", "unallocated"}));

  // Move the name-prefix rule first: line 1 is now claimed by it, not by its team tag.
  auto moved = AllocationStore::Update(*conn_, {by_name.rule_id, 1, "team", "name_prefix", "", "gpu-box", "research"});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->position, 1);
  EXPECT_EQ(Evaluate("team"),
            (std::vector<std::string>{"research", "finance", "research", "platform", "unallocated"}));

  ASSERT_TRUE(AllocationStore::Delete(*conn_, by_cc.rule_id).ok());
  EXPECT_EQ(Evaluate("team"),
            (std::vector<std::string>{"research", "unallocated", "research", "platform", "unallocated"}));
  (void)by_tag;
}

TEST_F(AllocationTest, PositionsStayDenseThroughEdits) {
  AllocationRule a = Create("team", "tag", "a", "", "");
  AllocationRule b = Create("team", "tag", "b", "", "");
  AllocationRule c = Create("team", "tag", "c", "", "", 1);
  auto ids = [&] {
    std::vector<int64_t> out;
    auto rules = AllocationStore::List(*conn_);
    for (size_t i = 0; i < rules->size(); ++i) {
      EXPECT_EQ((*rules)[i].position, static_cast<int64_t>(i + 1));
      out.push_back((*rules)[i].rule_id);
    }
    return out;
  };
  EXPECT_EQ(ids(), (std::vector<int64_t>{c.rule_id, a.rule_id, b.rule_id}));
  ASSERT_TRUE(AllocationStore::Reorder(*conn_, {b.rule_id, c.rule_id, a.rule_id}).ok());
  EXPECT_EQ(ids(), (std::vector<int64_t>{b.rule_id, c.rule_id, a.rule_id}));
  EXPECT_FALSE(AllocationStore::Reorder(*conn_, {b.rule_id, c.rule_id}).ok());
  EXPECT_FALSE(AllocationStore::Reorder(*conn_, {b.rule_id, b.rule_id, a.rule_id}).ok());
  ASSERT_TRUE(AllocationStore::Delete(*conn_, c.rule_id).ok());
  EXPECT_EQ(ids(), (std::vector<int64_t>{b.rule_id, a.rule_id}));
  EXPECT_EQ(AllocationStore::Delete(*conn_, c.rule_id).code(), StatusCode::kNotFound);
  EXPECT_FALSE(AllocationStore::Create(*conn_, {0, 9, "team", "tag", "x", "", ""}, 0).ok());
}

TEST(ValidateRule, NamesTheBadField) {
  EXPECT_TRUE(ValidateRule({0, 0, "team", "tag", "team", "", ""}).ok());
  EXPECT_NE(ValidateRule({0, 0, "org", "tag", "k", "", ""}).message().find("dimension"), std::string::npos);
  EXPECT_NE(ValidateRule({0, 0, "team", "regex", "k", "", ""}).message().find("match_kind"), std::string::npos);
  EXPECT_NE(ValidateRule({0, 0, "team", "tag", "", "", ""}).message().find("match_key"), std::string::npos);
  EXPECT_NE(ValidateRule({0, 0, "team", "name_prefix", "", "", "x"}).message().find("match_value"),
            std::string::npos);
  EXPECT_NE(ValidateRule({0, 0, "team", "account", "", "a", ""}).message().find("target"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::explorer
