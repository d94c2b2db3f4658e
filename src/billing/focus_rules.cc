#include "billing/focus_rules.h"

namespace mlcost::billing {

const std::vector<FocusRule>& FocusRules() {
  using enum RuleAction;
  static const std::vector<FocusRule>* rules = new std::vector<FocusRule>{
      {"R01", "ChargePeriodStart is missing or not a date/time: the line cannot be placed in time", kReject,
       "charge_period_start IS NULL"},
      {"R02", "BilledCost is missing (FOCUS: MUST NOT be null)", kFlag, "billed_cost IS NULL"},
      {"R03", "EffectiveCost is missing (FOCUS: MUST NOT be null)", kFlag, "effective_cost IS NULL"},
      {"R04", "ChargePeriodEnd is missing, not a date/time, or not after ChargePeriodStart (periods are half-open)", kFlag,
       "charge_period_end IS NULL OR charge_period_end <= charge_period_start"},
      {"R05", "BillingPeriodStart / BillingPeriodEnd missing or not a date/time, or End not after Start", kFlag,
       "billing_period_start IS NULL OR billing_period_end IS NULL OR billing_period_end <= billing_period_start"},
      {"R06", "ChargePeriodStart lies outside the billing period", kFlag,
       "charge_period_start < billing_period_start OR charge_period_start >= billing_period_end"},
      {"R07", "BillingAccountId is missing (FOCUS: MUST NOT be null)", kFlag, "billing_account_id IS NULL"},
      {"R08", "BillingCurrency is not an ISO 4217 code", kFlag,
       "billing_currency IS NULL OR NOT regexp_full_match(billing_currency, '[A-Z]{3}')"},
      {"R09", "ChargeCategory is not one of Usage, Purchase, Tax, Credit, Adjustment", kFlag,
       "charge_category IS NULL OR charge_category NOT IN ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')"},
      {"R10", "ChargeClass is neither null nor Correction", kFlag,
       "charge_class IS NOT NULL AND charge_class <> 'Correction'"},
      {"R11", "Tags is not a JSON object of keys and values", kFlag, "tags IS NULL"},
      {"R12", "ChargeFrequency is not one of One-Time, Recurring, Usage-Based", kFlag,
       "charge_frequency IS NOT NULL AND charge_frequency NOT IN ('One-Time', 'Recurring', 'Usage-Based')"},
      {"R13", "PricingCategory is not one of Standard, Dynamic, Committed, Other", kFlag,
       "pricing_category IS NOT NULL AND pricing_category NOT IN ('Standard', 'Dynamic', 'Committed', 'Other')"},
      {"R14", "ServiceName is missing (FOCUS: MUST NOT be null)", kFlag, "service_name IS NULL"},
      {"R15", "ListUnitPrice or ContractedUnitPrice is negative", kFlag,
       "list_unit_price < 0 OR contracted_unit_price < 0"},
      {"R16", "An amount is not in FOCUS numeric format (currency symbol or thousands separators); "
              "it was read as the number it shows", kFlag, "x_repaired IS NOT NULL"},
  };
  return *rules;
}

std::string_view ActionName(RuleAction action) { return action == RuleAction::kReject ? "reject" : "flag"; }

}  // namespace mlcost::billing
