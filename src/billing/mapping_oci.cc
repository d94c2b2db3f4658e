// OCI cost reports → FOCUS, after focus_converters' oci rules (finops-data.md §3.4). `cost/myCost`
// is the report's cost column and becomes both BilledCost and EffectiveCost (the overage column
// the converter used is empty in real reports). The billing period is the calendar month (UTC).
#include "billing/mapping_table.h"

namespace mlcost::billing {

const FormatMapping& OciMapping() {
  static const FormatMapping* mapping = new FormatMapping{
      "costs",
      {
          {"billed_cost", {"{$cost/myCost}"}},
          {"effective_cost", {"{$cost/myCost}"}},
          {"list_cost", {"{$cost/myCost}"}},
          {"contracted_cost", {"{$cost/myCost}"}},
          {"contracted_unit_price", {"{$cost/unitPrice}"}},
          {"charge_category", {"'Usage'"}},
          {"charge_class", {"CASE WHEN lower({?lineItem/isCorrection}) = 'true' THEN 'Correction' END"}},
          {"charge_frequency", {"'Usage-Based'"}},
          {"charge_description", {"{product/Description}"}},
          {"charge_period_start", {"{@lineItem/intervalUsageStart}"}},
          {"charge_period_end", {"{@lineItem/intervalUsageEnd}"}},
          {"billing_period_start", {"date_trunc('month', {@lineItem/intervalUsageStart})"}},
          {"billing_period_end", {"date_trunc('month', {@lineItem/intervalUsageStart}) + INTERVAL 1 MONTH"}},
          {"billing_account_id", {"{lineItem/tenantId}"}},
          {"sub_account_id", {"{product/compartmentId}"}},
          {"sub_account_name", {"{product/compartmentName}"}},
          {"sub_account_type", {"CASE WHEN {product/compartmentId} IS NOT NULL THEN 'Compartment' END"}},
          {"billing_currency", {"{cost/currencyCode}"}},
          {"invoice_issuer_name", {"'Oracle'"}},
          {"provider_name", {"'Oracle Cloud Infrastructure'"}},
          {"publisher_name", {"'Oracle Cloud Infrastructure'"}},
          {"service_name", {"{product/service}"}},
          {"service_category", {"mlcost_oci_category({product/service})"}},
          {"region_id", {"{product/region}"}},
          {"region_name", {"{product/region}"}},
          {"availability_zone", {"{product/availabilityDomain}"}},
          {"resource_id", {"{product/resourceId}"}},
          {"sku_id", {"{cost/productSku}"}},
          {"sku_meter", {"{product/Description}"}},
          {"pricing_quantity", {"{$usage/billedQuantity}"}},
          {"pricing_unit", {"{cost/skuUnitDescription}"}},
          {"consumed_quantity", {"{$usage/billedQuantity}"}},
          {"consumed_unit", {"{cost/skuUnitDescription}"}},
          {"pricing_category", {"'Standard'"}},
          {"tags", {"{*tags}"}},
      },
      {{"tags/", ""}},
      "cost/myCost"};
  return *mapping;
}

}  // namespace mlcost::billing
