// FindAnomalies: the anomalies of every series of a scope over a window of days, with the history
// before the window as the detector's baseline. What GET /api/v1/anomalies answers.
#ifndef MLCOST_COSTS_ANOMALY_REPORT_H_
#define MLCOST_COSTS_ANOMALY_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "costs/anomaly_detector.h"
#include "costs/cost_series_loader.h"
#include "store/connection.h"

namespace mlcost::costs {

struct AnomalyQuery {
  Scope scope;
  CostMetric metric = CostMetric::kEffective;
  // Days [since, until] to report. Empty until = the last day with costs; empty since =
  // until - 29 (30 days).
  std::optional<int64_t> since;
  std::optional<int64_t> until;
  // Days of history loaded before `since` for the baseline. Default 63 (9 weeks: 4 seasons of
  // offsets on top of a 7-day level, and the 28-day residual window).
  int history_days = 63;
  DetectorOptions detector;
};

struct Anomaly {
  std::string value;     // the scope's value
  std::string currency;
  int64_t day = 0;
  PointResult point;     // expected, actual, impact, impact_percent
};

struct AnomalyReport {
  int64_t since = 0;
  int64_t until = 0;
  int64_t series = 0;               // series examined
  std::vector<Anomaly> anomalies;   // by day (latest first), then impact (largest first)
};

// InvalidArgument when since > until; an empty report (since = until = 0) when the table has no
// costs and no window was given; the store's errors otherwise.
Result<AnomalyReport> FindAnomalies(store::Connection& conn, const AnomalyQuery& query);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_ANOMALY_REPORT_H_
