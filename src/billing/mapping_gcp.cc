// GCP Cloud Billing export (BigQuery standard or detailed, flattened to CSV with `.` or `_` in the
// nested names) → FOCUS, after focus_converters' gcp rules (finops-data.md §3.2). Credits are folded
// into EffectiveCost (cost + Σ credits.amount); BilledCost is `cost`, the export's own cost column.
#include "billing/mapping_table.h"

namespace mlcost::billing {

const FormatMapping& GcpMapping() {
  static const FormatMapping* mapping = new FormatMapping{
      "costs",
      {
          {"billed_cost", {"{$cost}"}},
          {"effective_cost", {"{$cost} + coalesce(mlcost_gcp_credits({?credits}), 0)"}},
          {"list_cost", {"coalesce({?$cost_at_list}, {$cost})"}},
          {"contracted_cost", {"{$cost}"}},
          {"charge_category",
           {"CASE lower({?cost_type}) WHEN 'tax' THEN 'Tax' WHEN 'adjustment' THEN 'Adjustment'"
            " WHEN 'rounding_error' THEN 'Adjustment' ELSE 'Usage' END"}},
          {"charge_frequency",
           {"CASE WHEN lower(coalesce({?cost_type}, 'regular')) = 'regular' THEN 'Usage-Based' ELSE 'One-Time' END"}},
          {"charge_description", {"{sku.description}"}},
          {"charge_period_start", {"{@usage_start_time}"}},
          {"charge_period_end", {"{@usage_end_time}"}},
          // invoice.month is YYYYMM in America/Los_Angeles (Google's billing time zone).
          {"billing_period_start", {"mlcost_gcp_month({invoice.month})", "date_trunc('month', {@usage_start_time})"}},
          {"billing_period_end",
           {"mlcost_gcp_month_end({invoice.month})", "date_trunc('month', {@usage_start_time}) + INTERVAL 1 MONTH"}},
          {"billing_account_id", {"{billing_account_id}"}},
          {"sub_account_id", {"{project.id}"}},
          {"sub_account_name", {"{project.name}"}},
          {"sub_account_type", {"CASE WHEN {project.id} IS NOT NULL THEN 'Project' END"}},
          {"billing_currency", {"{currency}"}},
          {"invoice_issuer_name", {"'Google'"}},
          {"provider_name", {"'Google Cloud'"}},
          {"publisher_name", {"coalesce({?seller_name}, 'Google Cloud')"}},
          {"service_name", {"{service.description}"}},
          {"service_category", {"mlcost_gcp_category({service.description})"}},
          {"region_id", {"coalesce({?location.region}, {?location.location})"}},
          {"region_name", {"coalesce({?location.region}, {?location.location})"}},
          {"availability_zone", {"{location.zone}"}},
          {"resource_id", {"coalesce({?resource.global_name}, {?resource.name})"}},
          {"resource_name", {"{resource.name}"}},
          {"sku_id", {"{sku.id}"}},
          {"sku_meter", {"{sku.description}"}},
          {"pricing_quantity", {"{$usage.amount_in_pricing_units}"}},
          {"pricing_unit", {"{usage.pricing_unit}"}},
          {"consumed_quantity", {"CASE WHEN lower(coalesce({?cost_type}, 'regular')) = 'regular' THEN {$usage.amount} END"}},
          {"consumed_unit", {"CASE WHEN lower(coalesce({?cost_type}, 'regular')) = 'regular' THEN {usage.unit} END"}},
          {"pricing_category",
           {"CASE WHEN lower(coalesce({?cost_type}, 'regular')) = 'regular' THEN 'Standard' END"}},
          // Project labels first, so a resource label of the same key wins; goog-* system labels too.
          {"tags",
           {"map_concat(mlcost_kv_tags({?project.labels}), mlcost_kv_tags({?system_labels}),"
            " mlcost_kv_tags({?labels}))"}},
      },
      {},
      "cost"};
  return *mapping;
}

}  // namespace mlcost::billing
