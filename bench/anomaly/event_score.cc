#include "anomaly/event_score.h"

#include <algorithm>

namespace mlcost::bench {

void EventScore::Add(const EventScore& o) {
  events += o.events;
  found += o.found;
  detections += o.detections;
  true_detections += o.true_detections;
  for (const auto& [kind, counts] : o.by_kind) {
    by_kind[kind].first += counts.first;
    by_kind[kind].second += counts.second;
  }
}

double EventScore::Precision() const {
  return detections == 0 ? 0.0 : static_cast<double>(true_detections) / static_cast<double>(detections);
}

double EventScore::Recall() const {
  return events == 0 ? 0.0 : static_cast<double>(found) / static_cast<double>(events);
}

double EventScore::F1() const {
  const double p = Precision(), r = Recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

EventScore ScoreEvents(const std::vector<bool>& flags, const std::vector<Window>& windows, int64_t eval_start,
                       int64_t tolerance) {
  const int64_t n = static_cast<int64_t>(flags.size());
  std::vector<bool> in_event(n, false);
  EventScore score;
  for (const Window& w : windows) {
    const int64_t first = std::max<int64_t>(0, w.first);
    const int64_t last = std::min(n - 1, w.last + tolerance);
    if (last < eval_start || first > last) continue;
    bool found = false;
    for (int64_t i = first; i <= last; ++i) {
      in_event[i] = true;
      found = found || (i >= eval_start && flags[i]);
    }
    ++score.events;
    score.found += found;
    ++score.by_kind[w.kind].first;
    score.by_kind[w.kind].second += found;
  }
  for (int64_t i = eval_start; i < n; ++i) {
    if (!flags[i] || (i > eval_start && flags[i - 1])) continue;
    bool hits = false;
    int64_t j = i;
    for (; j < n && flags[j]; ++j) hits = hits || in_event[j];
    ++score.detections;
    score.true_detections += hits;
  }
  return score;
}

}  // namespace mlcost::bench
