// MetricPoint: one aggregated system metric value the sampler hands to its sink, in MLflow's
// metric shape (key, value, timestamp in ms, step).
#ifndef MLCOST_AGENT_METRIC_POINT_H_
#define MLCOST_AGENT_METRIC_POINT_H_

#include <cstdint>
#include <string>

namespace mlcost::agent {

struct MetricPoint {
  // "system/cpu_utilization_percentage", "system/gpu_0_utilization_percentage", ... (docs/run.md).
  std::string key;
  double value = 0;
  // Wall-clock time of the end of the window the value aggregates, ms since the Unix epoch.
  int64_t timestamp_ms = 0;
  // The window's number: 0 for the first window of a sampler, then 1, 2, ...
  int64_t step = 0;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_METRIC_POINT_H_
