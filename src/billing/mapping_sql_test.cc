#include "billing/mapping_sql.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "billing/cost_columns.h"

namespace mlcost::billing {
namespace {

const std::string* ExprFor(const MappedSelect& s, std::string_view target) {
  for (size_t i = 0; i < s.targets.size(); ++i) {
    if (s.targets[i] == target) return &s.expressions[i];
  }
  return nullptr;
}

TEST(MappingSqlTest, FirstApplicableAlternativeWinsAndMissingOptionalIsNull) {
  FormatMapping m{"other", {{"a", {"{$Missing}", "coalesce({?$Gone}, {$Cost})"}}, {"b", {"{Nope}"}}}, {}, "Cost"};
  Result<MappedSelect> s = BuildMappedSelect(m, HeaderIndex({"cost"}), /*strict=*/true);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*ExprFor(*s, "a"), "(coalesce(NULL::DECIMAL(38,12), mlcost_money(\"cost\")))");
  EXPECT_EQ(*ExprFor(*s, "b"), "NULL");
  EXPECT_EQ(s->unmapped, std::vector<std::string>{"b"});
  ASSERT_EQ(s->typed_references.size(), 1u);
  EXPECT_EQ(s->typed_references[0].column, "cost");
}

TEST(MappingSqlTest, TryModeUsesTheNonFailingParsers) {
  FormatMapping m{"other", {{"a", {"{@Start}"}}}, {}, ""};
  Result<MappedSelect> s = BuildMappedSelect(m, HeaderIndex({"Start"}), /*strict=*/false);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*ExprFor(*s, "a"), "(mlcost_try_ts(\"Start\"))");
}

TEST(MappingSqlTest, TagColumnsBecomeOneMapWithPrefixedKeys) {
  FormatMapping m{"other", {{"tags", {"{*tags}"}}}, {{"resourceTags/user:", ""}, {"resourceTags/aws:", "aws:"}}, ""};
  Result<MappedSelect> s =
      BuildMappedSelect(m, HeaderIndex({"resourceTags/user:team", "resourceTags/aws:createdBy", "x"}), true);
  ASSERT_TRUE(s.ok());
  const std::string& e = *ExprFor(*s, "tags");
  EXPECT_NE(e.find("{'k': 'team', 'v': mlcost_str(\"resourceTags/user:team\")}"), std::string::npos) << e;
  EXPECT_NE(e.find("{'k': 'aws:createdBy'"), std::string::npos) << e;
}

TEST(MappingSqlTest, QuotesIdentifiersAndLiterals) {
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
}

TEST(MappingSqlTest, UnclosedReferenceIsAnError) {
  FormatMapping m{"other", {{"a", {"{Cost"}}}, {}, ""};
  EXPECT_FALSE(BuildMappedSelect(m, HeaderIndex({"Cost"}), true).ok());
}

// Every provider table expands against a header holding every name it mentions.
TEST(MappingSqlTest, EveryProviderTableExpands) {
  for (SourceFormat f : {SourceFormat::kFocus, SourceFormat::kFocusContractCommitment, SourceFormat::kAwsCur,
                         SourceFormat::kGcp, SourceFormat::kAzure, SourceFormat::kOci}) {
    const FormatMapping& m = MappingFor(f);
    Result<MappedSelect> s = BuildMappedSelect(m, HeaderIndex({"unrelated", "other"}), true);
    ASSERT_TRUE(s.ok()) << FormatName(f) << ": " << s.status().message();
    EXPECT_EQ(s->targets.size(), m.rules.size());
    if (m.table == "costs") {
      for (const ColumnRule& rule : m.rules) {
        bool known = std::any_of(CostColumns().begin(), CostColumns().end(),
                                 [&](const CostColumn& c) { return c.name == rule.target; });
        EXPECT_TRUE(known) << FormatName(f) << " maps unknown column " << rule.target;
      }
    }
  }
}

}  // namespace
}  // namespace mlcost::billing
