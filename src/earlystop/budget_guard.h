// BudgetGuard: cost-aware stopping of one run (issue 5 §4). A run may carry a budget — money
// (tag mlcost.budget, in the currency of its price) and/or GPU-hours (tag
// mlcost.budget_gpu_hours) — and how far it means to go (tag mlcost.target_steps). From what it
// has spent, its price and its step rate (the run's metric steps over time), the guard projects
// what reaching the target costs and stops a run that cannot finish within its budget — before
// it has spent it — or one that has already spent it.
//
// Money stays exact: the remaining time is estimated in whole seconds (a double only for the
// rate), then priced with Decimal like the run's cost (hourly price x seconds / 3600).
#ifndef MLCOST_EARLYSTOP_BUDGET_GUARD_H_
#define MLCOST_EARLYSTOP_BUDGET_GUARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "mlcost/records.h"
#include "mlcost/status.h"
#include "tracking/tracking_service.h"

namespace mlcost::earlystop {

inline constexpr char kBudgetTag[] = "mlcost.budget";
inline constexpr char kBudgetGpuHoursTag[] = "mlcost.budget_gpu_hours";
inline constexpr char kTargetStepsTag[] = "mlcost.target_steps";

struct RunBudget {
  std::optional<Decimal> money;
  std::optional<Decimal> gpu_hours;
  std::optional<int64_t> target_steps;
  bool any() const { return money || gpu_hours; }
};

// The budget tags of a run; InvalidArgument naming the tag and its value when one is not a
// non-negative decimal (target: a positive integer).
Result<RunBudget> BudgetFromTags(const std::vector<KeyValue>& tags);

// How far the run has come: the lowest and highest step over its metrics and when they were
// logged. nullopt when nothing was logged.
struct Progress {
  int64_t first_step = 0;
  int64_t last_step = 0;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
};

struct SpendSoFar {
  std::optional<Decimal> cost;          // nullopt: the run is not priced
  std::optional<Decimal> hourly_price;  // with cost
  std::string currency;
  int64_t billable_seconds = 0;
  int gpu_count = 0;
};

struct BudgetVerdict {
  bool stop = false;
  std::string reason;  // why it stops, or what the projection says when it does not
};

// The run's progress since `since_ms` (the current attempt's start): the history of the metric
// with the highest latest step, its first and last points at or after `since_ms`.
Result<std::optional<Progress>> LoadProgress(tracking::TrackingService& tracking, const Run& run,
                                             int64_t since_ms);

// The verdict for a run with `budget`, `spend` and `progress`. Without a target or a measurable
// rate (fewer than two distinct steps) only the spent amounts are checked.
BudgetVerdict JudgeBudget(const RunBudget& budget, const SpendSoFar& spend, const std::optional<Progress>& progress);

}  // namespace mlcost::earlystop

#endif  // MLCOST_EARLYSTOP_BUDGET_GUARD_H_
