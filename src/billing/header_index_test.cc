#include "billing/header_index.h"

#include <gtest/gtest.h>

namespace mlcost::billing {
namespace {

TEST(HeaderIndexTest, FindsEverySpellingOfAColumn) {
  HeaderIndex legacy({"lineItem/UnblendedCost", "bill/PayerAccountId"});
  HeaderIndex athena({"line_item_unblended_cost", "bill_payer_account_id"});
  EXPECT_EQ(legacy.Find("line_item_unblended_cost"), "lineItem/UnblendedCost");
  EXPECT_EQ(athena.Find("lineItem/UnblendedCost"), "line_item_unblended_cost");
  HeaderIndex gcp({"service.description"});
  EXPECT_EQ(gcp.Find("service_description"), "service.description");
  EXPECT_FALSE(gcp.Find("service.id").has_value());
}

TEST(HeaderIndexTest, ReportsCaseInsensitiveDuplicatesOnce) {
  HeaderIndex header({"Cost", "Date", "cost", "COST", "Tags"});
  ASSERT_EQ(header.duplicates().size(), 1u);
  EXPECT_EQ(header.duplicates()[0], "cost");
  EXPECT_EQ(header.Find("cost"), "Cost");  // first spelling wins
}

TEST(HeaderIndexTest, NormalizeKeepsLettersAndDigitsLowerCased) {
  EXPECT_EQ(HeaderIndex::Normalize("resourceTags/user:Env_2"), "resourcetagsuserenv2");
}

}  // namespace
}  // namespace mlcost::billing
