// AWS Cost and Usage Report → FOCUS. Follows finopsfoundation/focus_converters' aws-cur rules
// (../shared/reference/finops-data.md §3.1) with the choices written in docs/billing.md. One table
// serves the legacy CSV names (`lineItem/UnblendedCost`) and the Athena / CUR 2.0 snake_case names
// (`line_item_unblended_cost`): HeaderIndex matches both.
#include "billing/mapping_table.h"

namespace mlcost::billing {
namespace {

#define AWS_TYPE "{lineItem/LineItemType}"
#define AWS_BILLED "coalesce({?$lineItem/NetUnblendedCost}, {$lineItem/UnblendedCost})"

}  // namespace

const FormatMapping& AwsCurMapping() {
  static const FormatMapping* mapping = new FormatMapping{
      "costs",
      {
          {"billed_cost", {AWS_BILLED}},
          {"effective_cost",
           {"CASE " AWS_TYPE
            " WHEN 'SavingsPlanCoveredUsage' THEN coalesce({?$savingsPlan/SavingsPlanEffectiveCost}, " AWS_BILLED ")"
            " WHEN 'SavingsPlanRecurringFee' THEN coalesce({?$savingsPlan/TotalCommitmentToDate}"
            " - {?$savingsPlan/UsedCommitment}, " AWS_BILLED ")"
            " WHEN 'SavingsPlanNegation' THEN 0"
            " WHEN 'SavingsPlanUpfrontFee' THEN 0"
            " WHEN 'DiscountedUsage' THEN coalesce({?$reservation/EffectiveCost}, " AWS_BILLED ")"
            " WHEN 'RIFee' THEN coalesce({?$reservation/UnusedAmortizedUpfrontFeeForBillingPeriod}, 0)"
            " + coalesce({?$reservation/UnusedRecurringFee}, 0)"
            " ELSE " AWS_BILLED " END"}},
          {"list_cost", {"coalesce({?$pricing/publicOnDemandCost}, " AWS_BILLED ")"}},
          {"contracted_cost", {"{$lineItem/UnblendedCost}"}},
          {"list_unit_price", {"{$pricing/publicOnDemandRate}"}},
          {"contracted_unit_price", {"{$lineItem/UnblendedRate}"}},
          {"charge_category",
           {"CASE " AWS_TYPE " WHEN 'Tax' THEN 'Tax'"
            " WHEN 'Fee' THEN 'Purchase' WHEN 'RIFee' THEN 'Purchase'"
            " WHEN 'SavingsPlanUpfrontFee' THEN 'Purchase' WHEN 'SavingsPlanRecurringFee' THEN 'Purchase'"
            " WHEN 'Credit' THEN 'Credit' WHEN 'Refund' THEN 'Adjustment' ELSE 'Usage' END"}},
          {"charge_class", {"CASE WHEN " AWS_TYPE " = 'Refund' THEN 'Correction' END"}},
          {"charge_frequency",
           {"CASE WHEN " AWS_TYPE " IN ('RIFee', 'SavingsPlanRecurringFee') THEN 'Recurring'"
            " WHEN " AWS_TYPE " IN ('Fee', 'SavingsPlanUpfrontFee', 'Tax', 'Credit', 'Refund') THEN 'One-Time'"
            " ELSE 'Usage-Based' END"}},
          {"charge_description", {"{lineItem/LineItemDescription}"}},
          {"charge_period_start", {"{@lineItem/UsageStartDate}"}},
          {"charge_period_end", {"{@lineItem/UsageEndDate}"}},
          {"billing_period_start", {"{@bill/BillingPeriodStartDate}"}},
          {"billing_period_end", {"{@bill/BillingPeriodEndDate}"}},
          {"billing_account_id", {"{bill/PayerAccountId}"}},
          {"billing_account_name", {"{bill/PayerAccountName}"}},
          {"sub_account_id", {"{lineItem/UsageAccountId}"}},
          {"sub_account_name", {"{lineItem/UsageAccountName}"}},
          {"sub_account_type", {"CASE WHEN {lineItem/UsageAccountId} IS NOT NULL THEN 'Account' END"}},
          {"billing_currency", {"{lineItem/CurrencyCode}"}},
          {"invoice_id", {"{bill/InvoiceId}"}},
          {"invoice_issuer_name", {"coalesce({?bill/InvoicingEntity}, 'AWS')"}},
          {"provider_name", {"'AWS'"}},
          {"publisher_name", {"coalesce({?lineItem/LegalEntity}, 'AWS')"}},
          {"service_name", {"coalesce({?product/ProductName}, {lineItem/ProductCode})", "{lineItem/ProductCode}"}},
          {"service_category", {"mlcost_aws_category({lineItem/ProductCode})"}},
          {"region_id", {"coalesce({?product/regionCode}, {?product/region}, mlcost_json_field({?product}, 'region'))"}},
          {"region_name", {"coalesce({?product/location}, mlcost_json_field({?product}, 'location'))"}},
          {"availability_zone", {"{lineItem/AvailabilityZone}"}},
          {"resource_id", {"{lineItem/ResourceId}"}},
          {"sku_id", {"{product/sku}"}},
          {"sku_meter", {"{lineItem/UsageType}"}},
          {"sku_price_id", {"coalesce({?pricing/RateCode}, {?pricing/RateId})"}},
          {"pricing_quantity", {"{$lineItem/UsageAmount}"}},
          {"pricing_unit", {"{pricing/unit}"}},
          {"consumed_quantity",
           {"CASE WHEN " AWS_TYPE " IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')"
            " THEN {$lineItem/UsageAmount} END"}},
          {"consumed_unit",
           {"CASE WHEN " AWS_TYPE " IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')"
            " THEN {pricing/unit} END"}},
          {"pricing_category",
           {"CASE WHEN " AWS_TYPE " IN ('Tax', 'Credit', 'Refund') THEN NULL"
            " WHEN " AWS_TYPE " IN ('DiscountedUsage', 'SavingsPlanCoveredUsage') THEN 'Committed'"
            " WHEN coalesce({?pricing/term}, '') = 'Spot' OR coalesce({?lineItem/UsageType}, '') LIKE '%SpotUsage%'"
            " THEN 'Dynamic' ELSE 'Standard' END"}},
          {"commitment_discount_id", {"coalesce({?savingsPlan/SavingsPlanARN}, {?reservation/ReservationARN})"}},
          {"commitment_discount_category",
           {"CASE WHEN {?savingsPlan/SavingsPlanARN} IS NOT NULL THEN 'Spend'"
            " WHEN {?reservation/ReservationARN} IS NOT NULL THEN 'Usage' END"}},
          {"commitment_discount_type",
           {"CASE WHEN {?savingsPlan/SavingsPlanARN} IS NOT NULL THEN 'Savings Plan'"
            " WHEN {?reservation/ReservationARN} IS NOT NULL THEN 'Reserved Instance' END"}},
          // CUR 2.0 keeps tags and cost categories in map columns (JSON text in CSV, JSON after
          // the Parquet reader's to_json); legacy CUR in one column per key.
          {"tags",
           {"map_concat({*tags}, mlcost_json_tags({?resource_tags}),"
            " mlcost_prefixed_tags(mlcost_json_tags({?cost_category}), 'costCategory:'))"}},
      },
      {
          {"resourceTags/user:", ""},
          {"resourceTags/aws:", "aws:"},
          {"resource_tags_user_", ""},
          {"resource_tags_aws_", "aws:"},
          {"costCategory/", "costCategory:"},
          {"cost_category_", "costCategory:"},
      },
      "lineItem/UnblendedCost (lineItem/NetUnblendedCost when present)"};
  return *mapping;
}

}  // namespace mlcost::billing
