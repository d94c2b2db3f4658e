// Daily cost series for the evaluation, built from the real line items of the FOCUS sample and
// given injected anomalies with known windows (docs/anomalies.md, "Cost series with injected
// anomalies").
#ifndef MLCOST_BENCH_ANOMALY_COST_SERIES_SYNTH_H_
#define MLCOST_BENCH_ANOMALY_COST_SERIES_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "anomaly/labelled_series.h"
#include "common/decimal.h"
#include "mlcost/status.h"

namespace mlcost::bench {

// The positive ListCost usage lines of one service in the sample.
struct LinePool {
  std::string service;
  std::vector<Decimal> lines;
  double lines_per_day = 0;  // lines / days the sample covers
};

// The services of the FOCUS CSV with a ListCost > 0 usage line on at least `min_days` days, read
// with DuckDB (read_csv, amounts as DECIMAL(38,12)). The store's error naming the file otherwise.
Result<std::vector<LinePool>> ReadFocusLinePools(const std::string& csv_path, int min_days);

struct SynthOptions {
  int days = 182;        // series length (26 weeks)
  double scale = 100.0;  // line items per day = scale * the sample's rate (a larger account)
  int first_event = 42;  // no injection before this day (the detectors' warm-up)
  uint64_t seed = 20261201;
};

// Day d's cost is the exact sum of N_d lines drawn with replacement from the pool,
// N_d ~ Poisson(scale * lines_per_day * weekday_factor), weekday factors Mon-Fri 1.0, Sat 0.55,
// Sun 0.5 (day 0 is a Monday). Then four anomalies are injected, in a seeded random order and at
// seeded positions at least 14 days apart: a one-day spike (x1.6-3.0), a 7-day level shift
// (x1.4-2.0), a 14-day drift (multiplier ramping to x1.5-2.0) and a weekend day billed like a
// weekday (x2.0-3.0 on a Saturday or Sunday). Each is one Window with its kind. Deterministic for
// (pool, replicate, options) with libstdc++'s distributions.
LabelledSeries SynthesizeCostSeries(const LinePool& pool, int replicate, const SynthOptions& options);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_ANOMALY_COST_SERIES_SYNTH_H_
