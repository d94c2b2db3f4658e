#include "earlystop/budget_guard.h"

#include <charconv>
#include <cmath>

namespace mlcost::earlystop {
namespace {

Result<std::optional<Decimal>> NonNegative(const std::vector<KeyValue>& tags, const char* key) {
  const std::string* text = FindKey(tags, key);
  if (text == nullptr || text->empty()) return std::optional<Decimal>();
  Result<Decimal> value = Decimal::Parse(*text);
  if (!value.ok() || *value < Decimal()) {
    return InvalidArgument(std::string("tag ") + key + " '" + *text + "' is not a non-negative decimal number");
  }
  return std::optional<Decimal>(*value);
}

// GPU-hours used: gpus x seconds / 3600, exact.
Decimal GpuHours(int gpus, int64_t seconds) { return Decimal::FromInt(gpus).MulInt(seconds).DivInt(3600); }

std::string Money(const Decimal& d, const std::string& currency) {
  return d.ToString() + (currency.empty() ? "" : " " + currency);
}

}  // namespace

Result<RunBudget> BudgetFromTags(const std::vector<KeyValue>& tags) {
  RunBudget b;
  ASSIGN_OR_RETURN(b.money, NonNegative(tags, kBudgetTag));
  ASSIGN_OR_RETURN(b.gpu_hours, NonNegative(tags, kBudgetGpuHoursTag));
  if (const std::string* text = FindKey(tags, kTargetStepsTag); text != nullptr && !text->empty()) {
    int64_t steps = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), steps);
    if (ec != std::errc() || end != text->data() + text->size() || steps <= 0) {
      return InvalidArgument(std::string("tag ") + kTargetStepsTag + " '" + *text + "' is not a positive integer");
    }
    b.target_steps = steps;
  }
  return b;
}

Result<std::optional<Progress>> LoadProgress(tracking::TrackingService& tracking, const Run& run, int64_t since_ms) {
  const Metric* furthest = nullptr;
  for (const Metric& m : run.metrics) {
    if (furthest == nullptr || m.step > furthest->step) furthest = &m;
  }
  if (furthest == nullptr) return std::optional<Progress>();
  tracking::MetricHistoryRequest request;
  request.run_id = run.info.run_id;
  request.metric_key = furthest->key;
  std::optional<Progress> progress;
  do {
    ASSIGN_OR_RETURN(tracking::MetricHistoryResponse page, tracking.GetMetricHistory(request));
    for (const Metric& m : page.metrics) {
      if (m.timestamp_ms < since_ms) continue;
      if (!progress) progress = Progress{m.step, m.step, m.timestamp_ms, m.timestamp_ms};
      if (m.step < progress->first_step || (m.step == progress->first_step && m.timestamp_ms < progress->first_ms)) {
        progress->first_step = m.step;
        progress->first_ms = m.timestamp_ms;
      }
      if (m.step > progress->last_step || (m.step == progress->last_step && m.timestamp_ms > progress->last_ms)) {
        progress->last_step = m.step;
        progress->last_ms = m.timestamp_ms;
      }
    }
    request.page_token = page.next_page_token;
  } while (!request.page_token.empty());
  return progress;
}

BudgetVerdict JudgeBudget(const RunBudget& budget, const SpendSoFar& spend, const std::optional<Progress>& progress) {
  BudgetVerdict v;
  if (!budget.any()) return v;
  const Decimal gpu_hours_used = GpuHours(spend.gpu_count, spend.billable_seconds);
  // Already over?
  if (budget.money && spend.cost && *spend.cost >= *budget.money) {
    v.stop = true;
    v.reason = "budget: spent " + Money(*spend.cost, spend.currency) + " of " + Money(*budget.money, spend.currency);
    return v;
  }
  if (budget.gpu_hours && spend.gpu_count > 0 && gpu_hours_used >= *budget.gpu_hours) {
    v.stop = true;
    v.reason = "budget: used " + gpu_hours_used.ToString() + " of " + budget.gpu_hours->ToString() + " GPU-hours";
    return v;
  }
  // Projection to the target from the step rate.
  if (!budget.target_steps || !progress || progress->last_step <= progress->first_step ||
      progress->last_ms <= progress->first_ms) {
    v.reason = "budget: within budget (no projection: needs mlcost.target_steps and two logged steps)";
    return v;
  }
  const double steps_per_ms = static_cast<double>(progress->last_step - progress->first_step) /
                              static_cast<double>(progress->last_ms - progress->first_ms);
  const int64_t remaining_steps = std::max<int64_t>(0, *budget.target_steps - progress->last_step);
  const auto remaining_seconds = static_cast<int64_t>(std::ceil(remaining_steps / steps_per_ms / 1000.0));
  if (budget.money && spend.cost && spend.hourly_price) {
    Decimal projected = *spend.cost + spend.hourly_price->MulInt(remaining_seconds).DivInt(3600);
    if (projected > *budget.money) {
      v.stop = true;
      v.reason = "budget: reaching step " + std::to_string(*budget.target_steps) + " would cost " +
                 Money(projected, spend.currency) + " (spent " + Money(*spend.cost, spend.currency) + ", " +
                 std::to_string(remaining_steps) + " steps left at the current rate), over the budget of " +
                 Money(*budget.money, spend.currency);
      return v;
    }
    v.reason = "budget: projected " + Money(projected, spend.currency) + " of " + Money(*budget.money, spend.currency);
  }
  if (budget.gpu_hours && spend.gpu_count > 0) {
    Decimal projected = gpu_hours_used + GpuHours(spend.gpu_count, remaining_seconds);
    if (projected > *budget.gpu_hours) {
      v.stop = true;
      v.reason = "budget: reaching step " + std::to_string(*budget.target_steps) + " would use " +
                 projected.ToString() + " GPU-hours (" + std::to_string(remaining_steps) +
                 " steps left at the current rate), over the budget of " + budget.gpu_hours->ToString();
      return v;
    }
  }
  return v;
}

}  // namespace mlcost::earlystop
