// /api/v1/allocation/rules: the ordered allocation rules (docs/costs.md, "Allocation").
// Body fields: dimension, match_kind, match_key, match_value, target, position.
#include <charconv>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_explorer.h"

namespace mlcost::api::v1 {
namespace {

Json RuleJson(const explorer::AllocationRule& r) {
  return {{"rule_id", r.rule_id},         {"position", r.position},       {"dimension", r.dimension},
          {"match_kind", r.match_kind},   {"match_key", r.match_key},     {"match_value", r.match_value},
          {"target", r.target}};
}

Json RulesJson(const std::vector<explorer::AllocationRule>& rules) {
  Json out = Json::array();
  for (const auto& r : rules) out.push_back(RuleJson(r));
  return Json{{"rules", std::move(out)}};
}

Result<explorer::AllocationRule> RuleFromBody(Args args) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"dimension", "match_kind", "match_key", "match_value", "target", "position"}));
  explorer::AllocationRule r;
  ASSIGN_OR_RETURN(r.dimension, args.RequiredString("dimension"));
  ASSIGN_OR_RETURN(r.match_kind, args.RequiredString("match_kind"));
  ASSIGN_OR_RETURN(r.match_key, args.StringOr("match_key", ""));
  ASSIGN_OR_RETURN(r.match_value, args.StringOr("match_value", ""));
  ASSIGN_OR_RETURN(r.target, args.StringOr("target", ""));
  ASSIGN_OR_RETURN(auto position, args.OptionalInt64("position"));
  r.position = position.value_or(0);
  if (position && *position < 1) return InvalidArgument("field 'position' must be 1 or more");
  return r;
}

Result<int64_t> RuleId(const std::string& text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return InvalidArgument("rule id \"" + text + "\" is not a positive integer");
  }
  return id;
}

}  // namespace

void RegisterAllocationRoutes(Router& router, std::shared_ptr<explorer::Explorer> ex) {
  AddRoute(router, "GET", "/api/v1/allocation/rules", JsonHandler([ex](const ApiRequest&, Args) -> JsonResult {
             ASSIGN_OR_RETURN(auto rules, ex->ListRules());
             return RulesJson(rules);
           }));
  AddRoute(router, "POST", "/api/v1/allocation/rules",
           JsonHandler(
               [ex](const ApiRequest&, Args args) -> JsonResult {
                 ASSIGN_OR_RETURN(explorer::AllocationRule rule, RuleFromBody(args));
                 ASSIGN_OR_RETURN(rule, ex->CreateRule(rule));
                 return RuleJson(rule);
               },
               201));
  AddRoute(router, "POST", "/api/v1/allocation/rules/reorder",
           JsonHandler([ex](const ApiRequest&, Args args) -> JsonResult {
             RETURN_IF_ERROR(CheckKnownFields(args, {"rule_ids"}));
             const Json& ids = args.Raw("rule_ids");
             if (!ids.is_array()) return InvalidArgument("field 'rule_ids' must be an array of rule ids");
             std::vector<int64_t> order;
             for (const Json& id : ids) {
               ASSIGN_OR_RETURN(int64_t v, JsonToInt64("rule_ids", id));
               order.push_back(v);
             }
             ASSIGN_OR_RETURN(auto rules, ex->ReorderRules(order));
             return RulesJson(rules);
           }));
  AddRoute(router, "GET", "/api/v1/allocation/rules/{rule_id}",
           JsonHandler([ex](const ApiRequest& request, Args) -> JsonResult {
             ASSIGN_OR_RETURN(int64_t id, RuleId(request.captures[0]));
             ASSIGN_OR_RETURN(auto rule, ex->GetRule(id));
             return RuleJson(rule);
           }));
  AddRoute(router, "PUT", "/api/v1/allocation/rules/{rule_id}",
           JsonHandler([ex](const ApiRequest& request, Args args) -> JsonResult {
             ASSIGN_OR_RETURN(int64_t id, RuleId(request.captures[0]));
             ASSIGN_OR_RETURN(explorer::AllocationRule rule, RuleFromBody(args));
             rule.rule_id = id;
             ASSIGN_OR_RETURN(rule, ex->UpdateRule(rule));
             return RuleJson(rule);
           }));
  AddRoute(router, "DELETE", "/api/v1/allocation/rules/{rule_id}",
           JsonHandler([ex](const ApiRequest& request, Args) -> JsonResult {
             ASSIGN_OR_RETURN(int64_t id, RuleId(request.captures[0]));
             RETURN_IF_ERROR(ex->DeleteRule(id));
             return Json::object();
           }));
}

}  // namespace mlcost::api::v1
