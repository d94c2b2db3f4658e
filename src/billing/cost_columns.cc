#include "billing/cost_columns.h"

namespace mlcost::billing {

const std::vector<CostColumn>& CostColumns() {
  using enum ColumnType;
  static const std::vector<CostColumn>* columns = new std::vector<CostColumn>{
      {"availability_zone", kString},
      {"billed_cost", kDecimal},
      {"billing_account_id", kString},
      {"billing_account_name", kString},
      {"billing_account_type", kString},
      {"billing_currency", kString},
      {"billing_period_end", kTimestamp},
      {"billing_period_start", kTimestamp},
      {"capacity_reservation_id", kString},
      {"capacity_reservation_status", kString},
      {"charge_category", kString},
      {"charge_class", kString},
      {"charge_description", kString},
      {"charge_frequency", kString},
      {"charge_period_end", kTimestamp},
      {"charge_period_start", kTimestamp},
      {"commitment_discount_category", kString},
      {"commitment_discount_id", kString},
      {"commitment_discount_name", kString},
      {"commitment_discount_quantity", kDecimal},
      {"commitment_discount_status", kString},
      {"commitment_discount_type", kString},
      {"commitment_discount_unit", kString},
      {"consumed_quantity", kDecimal},
      {"consumed_unit", kString},
      {"contracted_cost", kDecimal},
      {"contracted_unit_price", kDecimal},
      {"effective_cost", kDecimal},
      {"invoice_id", kString},
      {"invoice_issuer_name", kString},
      {"list_cost", kDecimal},
      {"list_unit_price", kDecimal},
      {"pricing_category", kString},
      {"pricing_currency", kString},
      {"pricing_currency_contracted_unit_price", kDecimal},
      {"pricing_currency_effective_cost", kDecimal},
      {"pricing_currency_list_unit_price", kDecimal},
      {"pricing_quantity", kDecimal},
      {"pricing_unit", kString},
      {"provider_name", kString},
      {"publisher_name", kString},
      {"region_id", kString},
      {"region_name", kString},
      {"resource_id", kString},
      {"resource_name", kString},
      {"resource_type", kString},
      {"service_category", kString},
      {"service_name", kString},
      {"service_subcategory", kString},
      {"sku_id", kString},
      {"sku_meter", kString},
      {"sku_price_details", kString},
      {"sku_price_id", kString},
      {"sub_account_id", kString},
      {"sub_account_name", kString},
      {"sub_account_type", kString},
      {"tags", kTags},
  };
  return *columns;
}

std::string_view SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kString:
      return "VARCHAR";
    case ColumnType::kDecimal:
      return "DECIMAL(38,12)";
    case ColumnType::kTimestamp:
      return "TIMESTAMP";
    case ColumnType::kTags:
      return "MAP(VARCHAR, VARCHAR)";
  }
  return "VARCHAR";
}

}  // namespace mlcost::billing
