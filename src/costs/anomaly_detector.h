// Anomaly detectors over an evenly spaced series (a daily cost series, or telemetry for the
// evaluation): the weekday-aware robust detector mlcost uses, and the simple rule it must beat.
// Method and parameters: docs/anomalies.md.
#ifndef MLCOST_COSTS_ANOMALY_DETECTOR_H_
#define MLCOST_COSTS_ANOMALY_DETECTOR_H_

#include <optional>
#include <vector>

#include "common/decimal.h"

namespace mlcost::costs {

// Which side of the baseline counts. Costs: kUp (a drop in spend is rarely an incident and the
// AWS and OptScale monitors also alert on increases only).
enum class Direction { kUp, kDown, kBoth };

struct DetectorOptions {
  // Season length in points: 7 for a daily series (same weekday), 24 for hourly telemetry with a
  // daily cycle, 288 for 5-minute telemetry. 1 = no seasonality. Default 7.
  int period = 7;
  // Seasons of same-phase history whose median gives the seasonal offset. Default 4 (weeks).
  int seasons = 4;
  // Points in the recent-level median; 0 = `period` (or 7 when period is 1). Default 0.
  int level_window = 0;
  // Points before the first verdict (AWS needs 10 days of a new service). Default 10.
  int min_history = 10;
  // Past residuals the Tukey fence is computed from; 0 = 4 * period (at least 28). Default 0.
  int residual_window = 0;
  // Tukey fence multiplier: a residual above Q3 + k * IQR (below Q1 - k * IQR) of the past
  // residuals is an outlier. Default 1.5, Kusto's series_decompose_anomalies default, and the best
  // of {1, 1.5, 2, 3} on the development seed of the injected cost series (docs/anomalies.md).
  double fence_k = 1.5;
  // The IQR never counts as smaller than this fraction of |expected|, so a flat series does not
  // turn every cent of noise into an outlier. Default 0.02.
  double min_scale_fraction = 0.02;
  // An anomaly also needs |impact| >= max(min_impact, min_impact_fraction * |expected|).
  // Defaults: 0 and 0.1 (10 %).
  Decimal min_impact;
  double min_impact_fraction = 0.1;
  Direction direction = Direction::kUp;
};

// The verdict on one point.
struct PointResult {
  // False for the warm-up points (fewer than min_history before them); the other fields are
  // then zero/false.
  bool evaluated = false;
  Decimal expected;  // the baseline, rounded to 6 decimals
  Decimal actual;
  Decimal impact;  // actual - expected, exact
  // impact / expected * 100; empty when expected is 0.
  std::optional<double> impact_percent;
  bool anomaly = false;
};

// The weekday-aware robust detector. For point t:
//   level(t)    = median of the `level_window` points before t;
//   offset(t)   = median over j = 1..seasons of (x[t - j*period] - level(t - j*period));
//   expected(t) = level(t) + offset(t), floored at 0 when no point before t is negative;
//   residual    = x[t] - expected(t), tested against the Tukey fence of the residuals of the
//                 `residual_window` points before t, and against the impact thresholds.
// `values` are in time order at a fixed step; a day without charges must be passed as 0.
// Returns one PointResult per value. Pure; never fails.
std::vector<PointResult> DetectAnomalies(const std::vector<Decimal>& values, const DetectorOptions& options);

// The baseline rule (OptScale's expense_anomaly default): a point is an anomaly when it exceeds
// the mean of the `window` points before it by more than `threshold_percent` %.
struct RuleOptions {
  int window = 7;               // Default 7 (days).
  int64_t threshold_percent = 30;  // Default 30: today > mean * 1.3.
};

// expected = the exact mean of the window (rounded to 12 decimals); the comparison is exact.
// Points with fewer than `window` points before them are not evaluated.
std::vector<PointResult> DetectWithRule(const std::vector<Decimal>& values, const RuleOptions& options);

}  // namespace mlcost::costs

#endif  // MLCOST_COSTS_ANOMALY_DETECTOR_H_
