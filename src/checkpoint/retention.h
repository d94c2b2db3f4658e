// Which checkpoints `gc` keeps (docs/checkpoints.md, "Retention"), as a pure function of the
// listing and a validity oracle, so the rules are tested without a store.
#ifndef MLCOST_CHECKPOINT_RETENTION_H_
#define MLCOST_CHECKPOINT_RETENTION_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checkpoint/manifest.h"
#include "mlcost/status.h"

namespace mlcost::checkpoint {

struct RetentionPolicy {
  int keep_last = 1;      // newest N valid checkpoints; must be >= 1
  int keep_best = 0;      // best K valid checkpoints by `metric` (0: none)
  std::string metric;     // required when keep_best > 0
  bool maximize = false;  // false: lower is better (loss), true: higher is better (accuracy)
};

// InvalidArgument when keep_last < 1, keep_best < 0, or keep_best > 0 without a metric.
Status ValidateRetention(const RetentionPolicy& policy);

// One checkpoint as gc sees it: a parsed manifest, or none when MANIFEST.json is unreadable (then
// `manifest_mtime` stands in for its age).
struct RetentionItem {
  std::string name;
  std::optional<Manifest> manifest;
  Micros manifest_mtime = 0;
};

struct RetentionPlan {
  std::vector<std::string> keep;          // valid and within the policy
  std::vector<std::string> remove;        // outside the policy, or invalid and older than the newest valid
  std::vector<std::string> keep_invalid;  // invalid but newer than the newest valid one (left for a human)
};

// `items` in any order. `is_valid(i)` is asked lazily (verifying may read whole files) and at most
// once per item: from the newest down until keep_last valid ones are found, from the best down
// until keep_best valid ones are found. Items never asked about and not kept are removed; items
// known invalid are removed only when older than the newest valid item. With no valid item at all,
// nothing is removed.
RetentionPlan PlanRetention(const std::vector<RetentionItem>& items, const RetentionPolicy& policy,
                            const std::function<bool(size_t index)>& is_valid);

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_RETENTION_H_
