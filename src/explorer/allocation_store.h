// AllocationStore: the allocation_rules table (migration 4). Positions are kept dense, 1..n,
// across all dimensions: a rule's position is its place in the one ordered list users edit.
#ifndef MLCOST_EXPLORER_ALLOCATION_STORE_H_
#define MLCOST_EXPLORER_ALLOCATION_STORE_H_

#include <optional>
#include <vector>

#include "explorer/allocation_rule.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::explorer {

// Stateless; every call runs on the connection given, in its own transaction for writes.
// Callers serialise writes (Explorer holds a mutex).
class AllocationStore {
 public:
  // Every rule, by position.
  static Result<std::vector<AllocationRule>> List(store::Connection& conn);
  // One rule; NotFound naming the id.
  static Result<AllocationRule> Get(store::Connection& conn, int64_t rule_id);
  // Validates `rule` (ValidateRule), gives it a new id and inserts it at rule.position (1..n+1;
  // 0 = at the end), moving later rules down. InvalidArgument for a bad rule or position.
  static Result<AllocationRule> Create(store::Connection& conn, AllocationRule rule, int64_t now_micros);
  // Replaces the fields of rule `rule.rule_id`; a position other than 0 moves it there.
  // NotFound for an unknown id, InvalidArgument as Create.
  static Result<AllocationRule> Update(store::Connection& conn, AllocationRule rule);
  // NotFound for an unknown id. Later rules move up.
  static Status Delete(store::Connection& conn, int64_t rule_id);
  // Sets the order to `rule_ids`, which must name every rule exactly once (InvalidArgument
  // otherwise).
  static Result<std::vector<AllocationRule>> Reorder(store::Connection& conn, const std::vector<int64_t>& rule_ids);
};

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_ALLOCATION_STORE_H_
