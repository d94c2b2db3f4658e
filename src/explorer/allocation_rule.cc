#include "explorer/allocation_rule.h"

#include <algorithm>

#include "explorer/cost_query.h"

namespace mlcost::explorer {
namespace {

bool AnyValue(const std::string& v) { return v.empty() || v == "*"; }

}  // namespace

Status ValidateRule(const AllocationRule& rule) {
  if (!IsAllocationDimension(rule.dimension)) {
    return InvalidArgument("Invalid value \"" + rule.dimension +
                           "\" for field 'dimension': expected team, user, project or model");
  }
  if (rule.match_kind == "tag") {
    if (rule.match_key.empty()) return InvalidArgument("a tag rule needs 'match_key' (the tag key)");
    return Status::Ok();
  }
  if (rule.match_kind != "name_prefix" && rule.match_kind != "account") {
    return InvalidArgument("Invalid value \"" + rule.match_kind +
                           "\" for field 'match_kind': expected tag, name_prefix or account");
  }
  if (rule.match_value.empty()) {
    return InvalidArgument("a " + rule.match_kind + " rule needs a non-empty 'match_value'");
  }
  if (rule.target.empty()) return InvalidArgument("a " + rule.match_kind + " rule needs a non-empty 'target'");
  return Status::Ok();
}

std::vector<AllocationRule> EffectiveRules(const std::vector<AllocationRule>& rules, const std::string& dimension) {
  std::vector<AllocationRule> out;
  for (const AllocationRule& r : rules) {
    if (r.dimension == dimension) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const AllocationRule& a, const AllocationRule& b) { return a.position < b.position; });
  if (out.empty()) {
    AllocationRule def;
    def.dimension = dimension;
    def.match_kind = "tag";
    def.match_key = dimension;
    out.push_back(def);
  }
  return out;
}

SqlText AllocationExpression(const std::vector<AllocationRule>& rules, const std::string& dimension) {
  SqlText e;
  e.Add("(CASE");
  for (const AllocationRule& r : EffectiveRules(rules, dimension)) {
    e.Add(" WHEN ");
    if (r.match_kind == "tag") {
      if (AnyValue(r.match_value)) {
        e.Add("nullif(tags[").Bind(r.match_key).Add("], '') IS NOT NULL");
      } else {
        e.Add("tags[").Bind(r.match_key).Add("] = ").Bind(r.match_value);
      }
    } else if (r.match_kind == "name_prefix") {
      e.Add("(starts_with(resource_name, ").Bind(r.match_value).Add(") OR starts_with(resource_id, ");
      e.Bind(r.match_value).Add("))");
    } else {
      e.Add("(");
      const char* sep = "";
      for (const char* col : {"sub_account_id", "sub_account_name", "billing_account_id", "billing_account_name"}) {
        e.Add(sep).Add(col).Add(" = ").Bind(r.match_value);
        sep = " OR ";
      }
      e.Add(")");
    }
    e.Add(" THEN ");
    if (r.target.empty()) {
      e.Add("tags[").Bind(r.match_key).Add("]");
    } else {
      e.Bind(r.target);
    }
  }
  e.Add(" ELSE '").Add(kUnallocated).Add("' END)");
  return e;
}

}  // namespace mlcost::explorer
