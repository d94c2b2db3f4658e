// Event-level precision / recall of a detector's flags against labelled windows (docs/anomalies.md,
// "Matching rule"):
//   - each labelled window, widened by `tolerance` points after its end, is one event; events that
//     end before `eval_start` (the detectors' warm-up) are not scored;
//   - a run of consecutive flagged points (at or after eval_start) is one detection;
//   - an event is found when at least one flagged point lies in it (recall = found / events);
//   - a detection is true when it overlaps an event (precision = true detections / detections).
#ifndef MLCOST_BENCH_ANOMALY_EVENT_SCORE_H_
#define MLCOST_BENCH_ANOMALY_EVENT_SCORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "anomaly/labelled_series.h"

namespace mlcost::bench {

struct EventScore {
  int64_t events = 0;
  int64_t found = 0;
  int64_t detections = 0;
  int64_t true_detections = 0;
  // Per Window::kind (injected series): events and found.
  std::map<std::string, std::pair<int64_t, int64_t>> by_kind;

  void Add(const EventScore& other);
  double Precision() const;  // 0 when there are no detections
  double Recall() const;     // 0 when there are no events
  double F1() const;
};

// `flags[i]` is the detector's verdict on point i.
EventScore ScoreEvents(const std::vector<bool>& flags, const std::vector<Window>& windows, int64_t eval_start,
                       int64_t tolerance);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_ANOMALY_EVENT_SCORE_H_
