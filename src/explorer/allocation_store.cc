#include "explorer/allocation_store.h"
#include "store/transaction.h"

#include <algorithm>
#include <set>

namespace mlcost::explorer {
namespace {

constexpr char kColumns[] = "rule_id, position, dimension, match_kind, match_key, match_value, target";

std::vector<AllocationRule> ReadRules(store::QueryResult& r) {
  std::vector<AllocationRule> out;
  for (uint64_t i = 0; i < r.RowCount(); ++i) {
    out.push_back({r.GetInt64(0, i), r.GetInt64(1, i), r.GetString(2, i), r.GetString(3, i), r.GetString(4, i),
                   r.GetString(5, i), r.GetString(6, i)});
  }
  return out;
}

// Rewrites every position from `order` (ids, first = position 1).
Status WriteOrder(store::Connection& conn, const std::vector<int64_t>& order) {
  for (size_t i = 0; i < order.size(); ++i) {
    RETURN_IF_ERROR(conn.Exec("UPDATE allocation_rules SET position = ? WHERE rule_id = ?",
                              static_cast<int64_t>(i + 1), order[i]));
  }
  return Status::Ok();
}

std::vector<int64_t> Ids(const std::vector<AllocationRule>& rules) {
  std::vector<int64_t> ids;
  for (const AllocationRule& r : rules) ids.push_back(r.rule_id);
  return ids;
}

Status CheckPosition(int64_t position, size_t max) {
  if (position < 0 || position > static_cast<int64_t>(max)) {
    return InvalidArgument("Invalid value " + std::to_string(position) + " for field 'position': expected 1.." +
                           std::to_string(max) + " (or omit it for the end)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<AllocationRule>> AllocationStore::List(store::Connection& conn) {
  ASSIGN_OR_RETURN(auto r, conn.Run(std::string("SELECT ") + kColumns +
                                    " FROM allocation_rules ORDER BY position, rule_id"));
  return ReadRules(r);
}

Result<AllocationRule> AllocationStore::Get(store::Connection& conn, int64_t rule_id) {
  ASSIGN_OR_RETURN(auto r, conn.Run(std::string("SELECT ") + kColumns + " FROM allocation_rules WHERE rule_id = ?",
                                    rule_id));
  std::vector<AllocationRule> rules = ReadRules(r);
  if (rules.empty()) return NotFound("allocation rule " + std::to_string(rule_id) + " does not exist");
  return rules.front();
}

Result<AllocationRule> AllocationStore::Create(store::Connection& conn, AllocationRule rule, int64_t now_micros) {
  RETURN_IF_ERROR(ValidateRule(rule));
  return store::InTransaction(conn, [&]() -> Result<AllocationRule> {
    ASSIGN_OR_RETURN(std::vector<AllocationRule> rules, List(conn));
    RETURN_IF_ERROR(CheckPosition(rule.position, rules.size() + 1));
    ASSIGN_OR_RETURN(auto id, conn.Run("SELECT nextval('allocation_rule_id_seq')"));
    rule.rule_id = id.GetInt64(0, 0);
    std::vector<int64_t> order = Ids(rules);
    const size_t at = rule.position == 0 ? order.size() : static_cast<size_t>(rule.position - 1);
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), rule.rule_id);
    rule.position = static_cast<int64_t>(at + 1);
    RETURN_IF_ERROR(conn.Exec(
        "INSERT INTO allocation_rules (rule_id, position, dimension, match_kind, match_key, match_value, target, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rule.rule_id, rule.position, rule.dimension, rule.match_kind, rule.match_key, rule.match_value, rule.target,
        store::Timestamp{now_micros}));
    RETURN_IF_ERROR(WriteOrder(conn, order));
    return rule;
  });
}

Result<AllocationRule> AllocationStore::Update(store::Connection& conn, AllocationRule rule) {
  RETURN_IF_ERROR(ValidateRule(rule));
  return store::InTransaction(conn, [&]() -> Result<AllocationRule> {
    ASSIGN_OR_RETURN(AllocationRule old, Get(conn, rule.rule_id));
    ASSIGN_OR_RETURN(std::vector<AllocationRule> rules, List(conn));
    RETURN_IF_ERROR(CheckPosition(rule.position, rules.size()));
    RETURN_IF_ERROR(conn.Exec(
        "UPDATE allocation_rules SET dimension = ?, match_kind = ?, match_key = ?, match_value = ?, target = ? "
        "WHERE rule_id = ?",
        rule.dimension, rule.match_kind, rule.match_key, rule.match_value, rule.target, rule.rule_id));
    if (rule.position != 0 && rule.position != old.position) {
      std::vector<int64_t> order = Ids(rules);
      order.erase(std::find(order.begin(), order.end(), rule.rule_id));
      order.insert(order.begin() + (rule.position - 1), rule.rule_id);
      RETURN_IF_ERROR(WriteOrder(conn, order));
    }
    return Get(conn, rule.rule_id);
  });
}

Status AllocationStore::Delete(store::Connection& conn, int64_t rule_id) {
  Result<bool> done = store::InTransaction(conn, [&]() -> Result<bool> {
    ASSIGN_OR_RETURN(AllocationRule old, Get(conn, rule_id));
    (void)old;
    RETURN_IF_ERROR(conn.Exec("DELETE FROM allocation_rules WHERE rule_id = ?", rule_id));
    ASSIGN_OR_RETURN(std::vector<AllocationRule> rules, List(conn));
    RETURN_IF_ERROR(WriteOrder(conn, Ids(rules)));
    return true;
  });
  return done.status();
}

Result<std::vector<AllocationRule>> AllocationStore::Reorder(store::Connection& conn,
                                                             const std::vector<int64_t>& rule_ids) {
  return store::InTransaction(conn, [&]() -> Result<std::vector<AllocationRule>> {
    ASSIGN_OR_RETURN(std::vector<AllocationRule> rules, List(conn));
    std::set<int64_t> have, given(rule_ids.begin(), rule_ids.end());
    for (const AllocationRule& r : rules) have.insert(r.rule_id);
    if (given.size() != rule_ids.size() || given != have) {
      return InvalidArgument("'rule_ids' must list every allocation rule id exactly once (" +
                             std::to_string(have.size()) + " rules)");
    }
    RETURN_IF_ERROR(WriteOrder(conn, rule_ids));
    return List(conn);
  });
}

}  // namespace mlcost::explorer
