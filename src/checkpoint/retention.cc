#include "checkpoint/retention.h"

#include <algorithm>
#include <numeric>

namespace mlcost::checkpoint {
namespace {

// The age of an item: its created_at, or its manifest's mtime when it has no parsed manifest.
Micros Age(const RetentionItem& item) {
  return item.manifest.has_value() ? item.manifest->created_at_us : item.manifest_mtime;
}

bool Older(const RetentionItem& a, const RetentionItem& b) {
  if (a.manifest.has_value() && b.manifest.has_value()) return CheckpointOlder(*a.manifest, *b.manifest);
  if (Age(a) != Age(b)) return Age(a) < Age(b);
  return a.name < b.name;
}

}  // namespace

Status ValidateRetention(const RetentionPolicy& p) {
  if (p.keep_last < 1) return InvalidArgument("--keep-last must be at least 1");
  if (p.keep_best < 0) return InvalidArgument("--keep-best must not be negative");
  if (p.keep_best > 0 && p.metric.empty()) return InvalidArgument("--keep-best needs --metric NAME");
  return Status::Ok();
}

RetentionPlan PlanRetention(const std::vector<RetentionItem>& items, const RetentionPolicy& policy,
                            const std::function<bool(size_t index)>& is_valid) {
  std::vector<std::optional<bool>> valid(items.size());
  auto check = [&](size_t i) {
    if (!valid[i].has_value()) valid[i] = items[i].manifest.has_value() && is_valid(i);
    return *valid[i];
  };
  std::vector<size_t> newest_first(items.size());
  std::iota(newest_first.begin(), newest_first.end(), 0);
  std::sort(newest_first.begin(), newest_first.end(),
            [&](size_t a, size_t b) { return Older(items[b], items[a]); });

  std::vector<bool> keep(items.size(), false);
  std::optional<size_t> newest_valid;
  int kept = 0;
  for (size_t i : newest_first) {
    if (kept >= policy.keep_last) break;
    if (check(i)) {
      if (!newest_valid.has_value()) newest_valid = i;
      keep[i] = true;
      ++kept;
    }
  }
  if (policy.keep_best > 0) {
    std::vector<size_t> best;
    for (size_t i : newest_first) {
      if (items[i].manifest.has_value() && items[i].manifest->metrics.count(policy.metric)) best.push_back(i);
    }
    // stable_sort over newest-first: among equal metrics the newer wins.
    std::stable_sort(best.begin(), best.end(), [&](size_t a, size_t b) {
      double va = items[a].manifest->metrics.at(policy.metric);
      double vb = items[b].manifest->metrics.at(policy.metric);
      return policy.maximize ? va > vb : va < vb;
    });
    int best_kept = 0;
    for (size_t i : best) {
      if (best_kept >= policy.keep_best) break;
      if (check(i)) {
        keep[i] = true;
        ++best_kept;
      }
    }
  }
  RetentionPlan plan;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    size_t i = *it;
    if (keep[i]) {
      plan.keep.push_back(items[i].name);
    } else if (!newest_valid.has_value()) {
      // Nothing valid to fall back on: delete nothing.
      if (valid[i].has_value() && !*valid[i])
        plan.keep_invalid.push_back(items[i].name);
      else
        plan.keep.push_back(items[i].name);
    } else if (valid[i].has_value() && !*valid[i] && Older(items[*newest_valid], items[i])) {
      plan.keep_invalid.push_back(items[i].name);
    } else {
      plan.remove.push_back(items[i].name);
    }
  }
  return plan;
}

}  // namespace mlcost::checkpoint
