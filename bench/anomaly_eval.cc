// mlcost-anomaly-eval: precision / recall / F1 of the weekday-aware robust detector
// (src/costs) against the rule "today > mean(previous 7) x 1.3", on the labelled public series in
// ../shared/data/anomaly and on daily cost series built from the FOCUS sample with injected
// anomalies. Prints Markdown tables; docs/anomalies.md holds the method and the results.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "anomaly/cost_series_synth.h"
#include "anomaly/event_score.h"
#include "anomaly/labelled_series.h"
#include "costs/anomaly_detector.h"

namespace mlcost::bench {
namespace {

struct Detector {
  std::string name;
  bool rule = false;
  costs::Direction direction = costs::Direction::kUp;
};

struct DatasetResult {
  std::string dataset;
  int64_t series = 0;
  std::vector<EventScore> scores;  // one per detector
};

std::vector<bool> Flags(const std::vector<costs::PointResult>& points, const std::vector<bool>& missing) {
  std::vector<bool> out(points.size());
  for (size_t i = 0; i < points.size(); ++i) out[i] = points[i].anomaly && !missing[i];
  return out;
}

// Overrides of the detector's defaults from the command line (negative = keep the default).
double g_fence_k = -1;
double g_min_impact_percent = -1;

// Detector parameters for a series: the period is one day of points (7 days for a daily series).
costs::DetectorOptions OptionsFor(const LabelledSeries& s, costs::Direction direction) {
  costs::DetectorOptions o;
  if (g_fence_k >= 0) o.fence_k = g_fence_k;
  if (g_min_impact_percent >= 0) o.min_impact_fraction = g_min_impact_percent / 100;
  if (s.step_seconds >= 86400) {
    o.period = 7;
  } else {
    o.period = std::max<int>(1, static_cast<int>(86400 / std::max<int64_t>(1, s.step_seconds)));
    o.min_history = std::max(10, o.period);
    o.residual_window = std::min(4 * o.period, 2016);
  }
  o.direction = direction;
  return o;
}

DatasetResult Evaluate(const std::string& dataset, const std::vector<LabelledSeries>& all,
                       const std::vector<Detector>& detectors, int64_t tolerance, size_t max_series) {
  DatasetResult result{dataset, 0, std::vector<EventScore>(detectors.size())};
  for (size_t k = 0; k < all.size() && (max_series == 0 || k < max_series); ++k) {
    const LabelledSeries& s = all[k];
    ++result.series;
    const int64_t eval_start = std::max<int64_t>(OptionsFor(s, costs::Direction::kUp).min_history, 7);
    for (size_t d = 0; d < detectors.size(); ++d) {
      std::vector<costs::PointResult> points =
          detectors[d].rule ? costs::DetectWithRule(s.values, costs::RuleOptions{})
                            : costs::DetectAnomalies(s.values, OptionsFor(s, detectors[d].direction));
      result.scores[d].Add(ScoreEvents(Flags(points, s.missing), s.windows, eval_start, tolerance));
    }
    std::fprintf(stderr, "%s: %s done\n", dataset.c_str(), s.name.c_str());
  }
  return result;
}

void PrintTable(const std::vector<DatasetResult>& results, const std::vector<std::vector<Detector>>& detectors) {
  std::printf("| dataset | detector | series | events | found | recall | detections | true | precision | F1 |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t r = 0; r < results.size(); ++r) {
    for (size_t d = 0; d < results[r].scores.size(); ++d) {
      const EventScore& s = results[r].scores[d];
      std::printf("| %s | %s | %lld | %lld | %lld | %.3f | %lld | %lld | %.3f | %.3f |\n", results[r].dataset.c_str(),
                  detectors[r][d].name.c_str(), static_cast<long long>(results[r].series),
                  static_cast<long long>(s.events), static_cast<long long>(s.found), s.Recall(),
                  static_cast<long long>(s.detections), static_cast<long long>(s.true_detections), s.Precision(),
                  s.F1());
    }
  }
}

void PrintKinds(const DatasetResult& result, const std::vector<Detector>& detectors) {
  std::printf("\n| injected kind | events |");
  for (const Detector& d : detectors) std::printf(" found by %s |", d.name.c_str());
  std::printf("\n|---|---:|");
  for (size_t i = 0; i < detectors.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (const auto& [kind, counts] : result.scores[0].by_kind) {
    std::printf("| %s | %lld |", kind.c_str(), static_cast<long long>(counts.first));
    for (const EventScore& s : result.scores) {
      auto it = s.by_kind.find(kind);
      std::printf(" %lld |", static_cast<long long>(it == s.by_kind.end() ? 0 : it->second.second));
    }
    std::printf("\n");
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"Precision / recall of mlcost's anomaly detector against the 7-day-mean x 1.3 rule",
               "mlcost-anomaly-eval"};
  std::string data_dir = std::string(MLCOST_SOURCE_DIR) + "/../shared/data";
  size_t max_series = 0;
  int replicates = 10;
  uint64_t seed = SynthOptions{}.seed;
  app.add_option("--data", data_dir, "The shared data folder (anomaly/, billing/focus/)")->capture_default_str();
  app.add_option("--max-series", max_series, "Series per dataset (0 = all); a small number for a smoke run")
      ->capture_default_str();
  app.add_option("--replicates", replicates, "Synthetic cost series per FOCUS service")->capture_default_str();
  app.add_option("--seed", seed, "Seed of the cost-series synthesis and injection")->capture_default_str();
  app.add_option("--fence-k", g_fence_k, "Override the detector's Tukey fence k (default: the library's)");
  app.add_option("--min-impact-percent", g_min_impact_percent, "Override the detector's minimum impact %");
  CLI11_PARSE(app, argc, argv);

  const Detector rule{"rule: mean7 x 1.3", true, costs::Direction::kUp};
  const Detector robust_up{"robust (up)", false, costs::Direction::kUp};
  const Detector robust_both{"robust (both)", false, costs::Direction::kBoth};
  const std::vector<Detector> telemetry = {rule, robust_up, robust_both};
  const std::vector<Detector> cost = {rule, robust_up};

  std::vector<DatasetResult> results;
  std::vector<std::vector<Detector>> used;
  auto nab = ReadNab(data_dir + "/anomaly/nab-realAWSCloudwatch");
  auto ms = ReadMsCloudMonitoring(data_dir + "/anomaly/ms-cloud-monitoring");
  auto pools = ReadFocusLinePools(data_dir + "/billing/focus/focus-1.0_focus_sample_1000.csv", 23);
  for (const Status& s : {nab.status(), ms.status(), pools.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "mlcost-anomaly-eval: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  results.push_back(Evaluate("nab-realAWSCloudwatch", *nab, telemetry, 0, max_series));
  used.push_back(telemetry);
  results.push_back(Evaluate("ms-cloud-monitoring", *ms, telemetry, 2, max_series));
  used.push_back(telemetry);

  SynthOptions synth;
  synth.seed = seed;
  std::vector<LabelledSeries> costs_series;
  for (const LinePool& pool : *pools) {
    for (int r = 0; r < replicates; ++r) costs_series.push_back(SynthesizeCostSeries(pool, r, synth));
  }
  results.push_back(Evaluate("costs-injected", costs_series, cost, 1, max_series));
  used.push_back(cost);

  PrintTable(results, used);
  PrintKinds(results.back(), cost);
  std::printf("\ncost series from services:");
  for (const LinePool& pool : *pools) std::printf(" %s (%zu lines)", pool.service.c_str(), pool.lines.size());
  std::printf("; seed %llu\n", static_cast<unsigned long long>(seed));
  return 0;
}

}  // namespace
}  // namespace mlcost::bench

int main(int argc, char** argv) { return mlcost::bench::Main(argc, argv); }
