// Allocation rules (docs/costs.md, "Allocation"): ordered rules that give each cost line a team,
// user, project and model. Per dimension the rules are tried in position order and the first
// match wins; a line no rule claims is "unallocated". A dimension with no rules at all uses the
// default rule "tag KEY=<dimension name>, any value, target = the tag's value".
#ifndef MLCOST_EXPLORER_ALLOCATION_RULE_H_
#define MLCOST_EXPLORER_ALLOCATION_RULE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "explorer/sql_text.h"
#include "mlcost/status.h"

namespace mlcost::explorer {

struct AllocationRule {
  int64_t rule_id = 0;
  int64_t position = 0;   // 1-based order among all rules
  std::string dimension;  // team | user | project | model
  // tag: tags[match_key] equals match_value ("" or "*" = any non-empty value);
  // name_prefix: resource_name or resource_id starts with match_value;
  // account: match_value equals sub_account_id, sub_account_name, billing_account_id or
  //          billing_account_name.
  std::string match_kind;
  std::string match_key;
  std::string match_value;
  // The dimension value a matching line gets. "" only for tag rules: the tag's value.
  std::string target;
};

// InvalidArgument naming the field when: dimension is not an allocation dimension; match_kind is
// not tag / name_prefix / account; a tag rule has no match_key; a name_prefix or account rule has
// no match_value or no target.
Status ValidateRule(const AllocationRule& rule);

// The rules of `dimension` in effect: those of `rules` (any order) for it, by position; the
// default tag rule when there are none.
std::vector<AllocationRule> EffectiveRules(const std::vector<AllocationRule>& rules, const std::string& dimension);

// A SQL expression over one row of `costs` yielding the dimension's value: CASE WHEN <rule 1>
// THEN <target 1> ... ELSE 'unallocated' END. Never NULL; a tag rule with an empty target never
// yields "" (an empty tag value does not match). All rule values are bound parameters.
SqlText AllocationExpression(const std::vector<AllocationRule>& rules, const std::string& dimension);

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_ALLOCATION_RULE_H_
