#include "billing/source_format.h"

#include <gtest/gtest.h>

namespace mlcost::billing {
namespace {

TEST(SourceFormatTest, DetectsEachProviderFromItsHeader) {
  EXPECT_EQ(DetectFormat(HeaderIndex({"BilledCost", "ChargePeriodStart", "BillingAccountId", "x_Foo"})),
            SourceFormat::kFocus);
  EXPECT_EQ(DetectFormat(HeaderIndex({"ContractCommitmentId", "ContractCommitmentCost"})),
            SourceFormat::kFocusContractCommitment);
  EXPECT_EQ(DetectFormat(HeaderIndex({"identity/LineItemId", "lineItem/UnblendedCost", "lineItem/UsageStartDate"})),
            SourceFormat::kAwsCur);
  EXPECT_EQ(DetectFormat(HeaderIndex({"line_item_unblended_cost", "line_item_usage_start_date"})),
            SourceFormat::kAwsCur);
  EXPECT_EQ(DetectFormat(HeaderIndex({"billing_account_id", "cost", "usage_start_time"})), SourceFormat::kGcp);
  EXPECT_EQ(DetectFormat(HeaderIndex({"MeterCategory", "Cost", "Date"})), SourceFormat::kAzure);
  EXPECT_EQ(DetectFormat(HeaderIndex({"meterCategory", "costInBillingCurrency", "date"})), SourceFormat::kAzure);
  EXPECT_EQ(DetectFormat(HeaderIndex({"MeterCategory", "PreTaxCost", "UsageDateTime"})), SourceFormat::kAzure);
  EXPECT_EQ(DetectFormat(HeaderIndex({"cost/myCost", "lineItem/intervalUsageStart"})), SourceFormat::kOci);
  EXPECT_FALSE(DetectFormat(HeaderIndex({"name", "age", "city"})).has_value());
}

TEST(SourceFormatTest, ParsesNamesAndListsTheAcceptedOnes) {
  EXPECT_EQ(*ParseFormatName("aws-cur"), SourceFormat::kAwsCur);
  Result<SourceFormat> bad = ParseFormatName("aws");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("aws-cur"), std::string::npos);
  for (SourceFormat f : {SourceFormat::kFocus, SourceFormat::kGcp, SourceFormat::kOci}) {
    EXPECT_EQ(*ParseFormatName(FormatName(f)), f);
  }
}

TEST(SourceFormatTest, NamesTheColumnAForcedProviderLacks) {
  EXPECT_EQ(MissingRequiredColumn(SourceFormat::kGcp, HeaderIndex({"billing_account_id", "cost"})), "usage_start_time");
  EXPECT_FALSE(MissingRequiredColumn(SourceFormat::kGcp, HeaderIndex({"billing_account_id", "cost", "usage_start_time"}))
                   .has_value());
}

}  // namespace
}  // namespace mlcost::billing
