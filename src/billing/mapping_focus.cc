// FOCUS 1.0-preview .. 1.3: every FOCUS column maps to itself (HeaderIndex finds `BilledCost` for
// `billed_cost`); earlier and later names are fallbacks.
#include "billing/cost_columns.h"
#include "billing/mapping_table.h"

namespace mlcost::billing {
namespace {

// Renamed columns: 1.0-preview names and the 1.3 provider names.
std::vector<std::string_view> Fallbacks(std::string_view target) {
  if (target == "effective_cost") return {"{$AmortizedCost}"};
  if (target == "charge_category") return {"{ChargeType}"};
  if (target == "region_id") return {"{Region}"};
  if (target == "consumed_quantity") return {"{$UsageQuantity}"};
  if (target == "consumed_unit") return {"{UsageUnit}"};
  if (target == "provider_name") return {"{ServiceProviderName}"};
  if (target == "publisher_name") return {"{ServiceProviderName}"};
  if (target == "list_cost") return {"{$BilledCost}"};
  if (target == "contracted_cost") return {"{$BilledCost}"};
  return {};
}

// The text of the references: "{$billed_cost}" etc. Kept alive for the table's lifetime.
std::vector<std::string>& Storage() {
  static auto* storage = new std::vector<std::string>();
  return *storage;
}

}  // namespace

const FormatMapping& FocusMapping() {
  static const FormatMapping* mapping = [] {
    auto* m = new FormatMapping{"costs", {}, {}, "BilledCost"};
    std::vector<std::string>& storage = Storage();
    storage.reserve(CostColumns().size());
    for (const CostColumn& column : CostColumns()) {
      std::string ref;
      switch (column.type) {
        case ColumnType::kDecimal:
          ref = "{$" + std::string(column.name) + "}";
          break;
        case ColumnType::kTimestamp:
          ref = "{@" + std::string(column.name) + "}";
          break;
        case ColumnType::kTags:
          ref = "mlcost_json_tags({" + std::string(column.name) + "})";
          break;
        case ColumnType::kString:
          ref = "{" + std::string(column.name) + "}";
          break;
      }
      storage.push_back(std::move(ref));
      ColumnRule rule{column.name, {storage.back()}};
      for (std::string_view fallback : Fallbacks(column.name)) rule.alternatives.push_back(fallback);
      m->rules.push_back(std::move(rule));
    }
    return m;
  }();
  return *mapping;
}

const FormatMapping& FocusContractCommitmentMapping() {
  static const FormatMapping* mapping = new FormatMapping{
      "contract_commitments",
      {
          {"contract_commitment_id", {"{ContractCommitmentId}"}},
          {"contract_commitment_type", {"{ContractCommitmentType}"}},
          {"contract_commitment_category", {"{ContractCommitmentCategory}"}},
          {"contract_commitment_cost", {"{$ContractCommitmentCost}"}},
          {"contract_commitment_quantity", {"{$ContractCommitmentQuantity}"}},
          {"contract_commitment_unit", {"{ContractCommitmentUnit}"}},
          {"contract_commitment_description", {"{ContractCommitmentDescription}"}},
          {"contract_commitment_period_start", {"{@ContractCommitmentPeriodStart}"}},
          {"contract_commitment_period_end", {"{@ContractCommitmentPeriodEnd}"}},
          {"contract_id", {"{ContractId}"}},
          {"contract_period_start", {"{@ContractPeriodStart}"}},
          {"contract_period_end", {"{@ContractPeriodEnd}"}},
          {"billing_currency", {"{BillingCurrency}"}},
      },
      {},
      "ContractCommitmentCost"};
  return *mapping;
}

}  // namespace mlcost::billing
