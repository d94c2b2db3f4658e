#include "costs/anomaly_report.h"

#include <algorithm>

namespace mlcost::costs {

Result<AnomalyReport> FindAnomalies(store::Connection& conn, const AnomalyQuery& query) {
  AnomalyReport report;
  std::optional<int64_t> until = query.until;
  if (!until) {
    ASSIGN_OR_RETURN(until, LastCostDay(conn));
    if (!until) {
      if (!query.since) return report;
      until = *query.since;
    }
  }
  report.until = *until;
  report.since = query.since ? *query.since : report.until - 29;
  if (report.since > report.until) return InvalidArgument("parameter 'since' must not be after 'until'");

  SeriesQuery sq;
  sq.scope = query.scope;
  sq.metric = query.metric;
  sq.first_day = report.since - std::max(0, query.history_days);
  sq.last_day = report.until;
  ASSIGN_OR_RETURN(std::vector<CostSeries> series, LoadDailySeries(conn, sq));
  report.series = static_cast<int64_t>(series.size());
  for (const CostSeries& s : series) {
    std::vector<PointResult> points = DetectAnomalies(s.daily, query.detector);
    for (size_t i = 0; i < points.size(); ++i) {
      const int64_t day = s.first_day + static_cast<int64_t>(i);
      if (!points[i].anomaly || day < report.since) continue;
      report.anomalies.push_back(Anomaly{s.value, s.currency, day, points[i]});
    }
  }
  std::sort(report.anomalies.begin(), report.anomalies.end(), [](const Anomaly& a, const Anomaly& b) {
    if (a.day != b.day) return a.day > b.day;
    if (a.point.impact != b.point.impact) return a.point.impact > b.point.impact;
    return a.value < b.value;
  });
  return report;
}

}  // namespace mlcost::costs
