// LabelledSeries: a telemetry or cost series with its labelled anomaly windows, and the readers of
// the two public labelled sets in ../shared/data/anomaly (NAB realAWSCloudwatch, Microsoft's
// cloud-monitoring-dataset).
#ifndef MLCOST_BENCH_ANOMALY_LABELLED_SERIES_H_
#define MLCOST_BENCH_ANOMALY_LABELLED_SERIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "mlcost/status.h"

namespace mlcost::bench {

// An inclusive range of point indices.
struct Window {
  int64_t first = 0;
  int64_t last = 0;
  std::string kind;  // what was injected ("spike", ...); "" for a public label
};

struct LabelledSeries {
  std::string name;
  std::vector<Decimal> values;  // evenly spaced; a missing value repeats the previous one
  std::vector<bool> missing;    // points whose value was missing in the file
  int64_t step_seconds = 0;
  std::vector<Window> windows;
};

// The 17 series of NAB's realAWSCloudwatch, each with its windows from
// labels/combined_windows.json (every point whose timestamp lies in a window). `dir` is the
// nab-realAWSCloudwatch folder. NotFound / InvalidArgument naming the file on a bad file.
Result<std::vector<LabelledSeries>> ReadNab(const std::string& dir);

// Every CSV of Microsoft's cloud-monitoring-dataset (`dir` is the ms-cloud-monitoring folder):
// TimeStamp,Value,Label, quoted or not; each maximal run of Label=1 is one window.
Result<std::vector<LabelledSeries>> ReadMsCloudMonitoring(const std::string& dir);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_ANOMALY_LABELLED_SERIES_H_
