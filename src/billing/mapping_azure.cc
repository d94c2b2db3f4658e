// Azure cost details (EA and MCA, actual and amortized, PascalCase and camelCase, and the legacy
// usage export with PreTaxCost) → FOCUS, after Microsoft's own conversion (finops-toolkit
// docs-mslearn/focus/convert.md; finops-data.md §3.3):
//  - BilledCost is the file's cost, except usage covered by a reservation or savings plan, which is
//    billed through the purchase (0);
//  - EffectiveCost is the file's cost, except reservation / savings-plan purchases and refunds,
//    which are amortized into the usage they cover (0).
// So an *actual* export's billed total and an *amortized* export's effective total each equal the
// file's cost column.
#include "billing/mapping_table.h"

namespace mlcost::billing {
namespace {

#define AZ_COMMITMENT "coalesce({?PricingModel}, '') IN ('Reservation', 'SavingsPlan')"
#define AZ_CHARGE "coalesce({?ChargeType}, 'Usage')"
#define AZ_START "coalesce({?@Date}, {?@UsageDateTime})"

// One expression per cost column spelling (EA: Cost, newer: CostInBillingCurrency, legacy: PreTaxCost).
#define AZ_ALTERNATIVES(expr_of) expr_of("{$CostInBillingCurrency}"), expr_of("{$Cost}"), expr_of("{$PreTaxCost}")
#define AZ_BILLED(cost) "CASE WHEN " AZ_CHARGE " = 'Usage' AND " AZ_COMMITMENT " THEN 0 ELSE " cost " END"
#define AZ_EFFECTIVE(cost) \
  "CASE WHEN " AZ_CHARGE " IN ('Purchase', 'Refund') AND " AZ_COMMITMENT " THEN 0 ELSE " cost " END"
#define AZ_PLAIN(cost) cost
#define AZ_LIST(cost) "coalesce({?$paygCostInBillingCurrency}, " cost ")"

}  // namespace

const FormatMapping& AzureMapping() {
  static const FormatMapping* mapping = new FormatMapping{
      "costs",
      {
          {"billed_cost", {AZ_ALTERNATIVES(AZ_BILLED)}},
          {"effective_cost", {AZ_ALTERNATIVES(AZ_EFFECTIVE)}},
          {"list_cost", {AZ_ALTERNATIVES(AZ_LIST)}},
          {"contracted_cost", {AZ_ALTERNATIVES(AZ_PLAIN)}},
          {"list_unit_price", {"{$PayGPrice}"}},
          {"contracted_unit_price", {"{$UnitPrice}", "{$ResourceRate}"}},
          {"charge_category",
           {"CASE " AZ_CHARGE " WHEN 'Usage' THEN 'Usage' WHEN 'UnusedReservation' THEN 'Usage'"
            " WHEN 'UnusedSavingsPlan' THEN 'Usage' WHEN 'Purchase' THEN 'Purchase' WHEN 'Refund' THEN 'Purchase'"
            " WHEN 'Tax' THEN 'Tax' ELSE 'Adjustment' END"}},
          {"charge_class", {"CASE WHEN " AZ_CHARGE " = 'Refund' THEN 'Correction' END"}},
          {"charge_frequency",
           {"CASE coalesce({?Frequency}, 'UsageBased') WHEN 'OneTime' THEN 'One-Time' WHEN 'Recurring' THEN 'Recurring'"
            " ELSE 'Usage-Based' END"}},
          {"charge_description", {"coalesce({?Product}, {?ProductName}, {?MeterName})"}},
          {"charge_period_start", {AZ_START}},
          {"charge_period_end", {AZ_START " + INTERVAL 1 DAY"}},
          // BillingPeriodEndDate is inclusive in Azure exports; FOCUS periods are half-open.
          {"billing_period_start", {"coalesce({?@BillingPeriodStartDate}, date_trunc('month', " AZ_START "))"}},
          {"billing_period_end",
           {"coalesce({?@BillingPeriodEndDate} + INTERVAL 1 DAY, date_trunc('month', " AZ_START ") + INTERVAL 1 MONTH)"}},
          {"billing_account_id",
           {"coalesce({?billingProfileId}, {?BillingAccountId}, {?SubscriptionId}, {?SubscriptionGuid})"}},
          {"billing_account_name", {"coalesce({?billingProfileName}, {?BillingAccountName})"}},
          {"sub_account_id", {"coalesce({?SubscriptionId}, {?SubscriptionGuid})"}},
          {"sub_account_name", {"{SubscriptionName}"}},
          {"sub_account_type",
           {"CASE WHEN coalesce({?SubscriptionId}, {?SubscriptionGuid}) IS NOT NULL THEN 'Subscription' END"}},
          {"billing_currency", {"coalesce({?BillingCurrency}, {?BillingCurrencyCode}, {?Currency})"}},
          {"invoice_id", {"{invoiceId}"}},
          {"invoice_issuer_name", {"coalesce({?resellerName}, 'Microsoft')"}},
          {"provider_name", {"'Microsoft'"}},
          {"publisher_name", {"coalesce({?PublisherName}, 'Microsoft')"}},
          {"service_name", {"coalesce({?MeterCategory}, {?ServiceName})"}},
          {"service_category", {"mlcost_azure_category(coalesce({?MeterCategory}, {?ServiceName}))"}},
          {"region_id", {"lower(replace({ResourceLocation}, ' ', ''))"}},
          {"region_name", {"{ResourceLocation}"}},
          {"availability_zone", {"{AvailabilityZone}"}},
          {"resource_id", {"coalesce({?ResourceId}, {?InstanceId})"}},
          {"resource_name", {"coalesce({?ResourceName}, {?InstanceName})"}},
          {"resource_type", {"{ResourceType}"}},
          {"sku_id", {"coalesce({?ProductId}, {?PartNumber})"}},
          {"sku_meter", {"{MeterName}"}},
          {"sku_price_id", {"{MeterId}"}},
          {"sku_price_details", {"{AdditionalInfo}"}},
          {"pricing_quantity", {"{$Quantity}", "{$UsageQuantity}"}},
          {"pricing_unit", {"{UnitOfMeasure}"}},
          {"consumed_quantity", {"CASE WHEN " AZ_CHARGE " = 'Usage' THEN coalesce({?$Quantity}, {?$UsageQuantity}) END"}},
          {"consumed_unit", {"CASE WHEN " AZ_CHARGE " = 'Usage' THEN {UnitOfMeasure} END"}},
          {"pricing_category",
           {"CASE WHEN " AZ_CHARGE " = 'Tax' THEN NULL ELSE CASE coalesce({?PricingModel}, 'OnDemand')"
            " WHEN 'Spot' THEN 'Dynamic' WHEN 'Reservation' THEN 'Committed' WHEN 'SavingsPlan' THEN 'Committed'"
            " ELSE 'Standard' END END"}},
          {"commitment_discount_id", {"coalesce({?benefitId}, {?ReservationId})"}},
          {"commitment_discount_name", {"coalesce({?benefitName}, {?ReservationName})"}},
          {"commitment_discount_category",
           {"CASE WHEN lower(coalesce({?benefitId}, '')) LIKE '%/microsoft.billingbenefits/%' THEN 'Spend'"
            " WHEN coalesce({?benefitId}, {?ReservationId}) IS NOT NULL THEN 'Usage' END"}},
          {"commitment_discount_type",
           {"CASE WHEN lower(coalesce({?benefitId}, '')) LIKE '%/microsoft.billingbenefits/%' THEN 'Savings Plan'"
            " WHEN coalesce({?benefitId}, {?ReservationId}) IS NOT NULL THEN 'Reservation' END"}},
          {"commitment_discount_status",
           {"CASE WHEN " AZ_CHARGE " IN ('UnusedReservation', 'UnusedSavingsPlan') THEN 'Unused'"
            " WHEN " AZ_CHARGE " = 'Usage' AND " AZ_COMMITMENT " THEN 'Used' END"}},
          {"tags", {"mlcost_azure_tags({Tags})"}},
      },
      {},
      "CostInBillingCurrency (EA: Cost; legacy: PreTaxCost)"};
  return *mapping;
}

}  // namespace mlcost::billing
