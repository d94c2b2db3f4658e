// The FOCUS rules every loaded cost line is checked against, and what happens to a line that
// breaks one: `reject` removes it from the load (counted, with its cost, in the report), `flag`
// keeps it and counts it. Nothing is dropped silently. docs/billing.md lists the rules.
#ifndef MLCOST_BILLING_FOCUS_RULES_H_
#define MLCOST_BILLING_FOCUS_RULES_H_

#include <string_view>
#include <vector>

namespace mlcost::billing {

enum class RuleAction { kFlag, kReject };

struct FocusRule {
  std::string_view id;           // "R01"
  std::string_view description;  // what the line breaks, in FOCUS's words
  RuleAction action;
  std::string_view violation;    // SQL predicate over a `costs` row, true when the row breaks the rule
};

// In evaluation order; reject rules first.
const std::vector<FocusRule>& FocusRules();

std::string_view ActionName(RuleAction action);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_FOCUS_RULES_H_
