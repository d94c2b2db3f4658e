// mlcost-pruner-server-bench: a median decision as the server makes it (earlystop::PrunerService
// over a DuckDB store: GetRun, then Decide, as GET /api/v1/runs/{id}/should-stop does after its
// stop-request and budget checks) on an experiment of N finished runs x S steps, with the
// server's PrunerIndex and without it (LoadStudy + scan), in the same invocation. Reports the
// first indexed decision (the index build from the store), the p50 of later indexed decisions,
// the p50 of scanning decisions, the incremental cost of one more run finishing, and checks the
// two paths agree (docs/performance.md, "Pruner decisions").
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "earlystop/pruner_index.h"
#include "earlystop/pruner_service.h"
#include "store/database.h"
#include "tracking/tracking_service.h"

namespace {

using namespace mlcost;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double P50(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

Status Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.ToString().c_str());
  return s;
}

// N finished runs with S steps of "loss" each, written straight into the tables (series ids far
// above the ones the service hands out).
Status Populate(store::Database& db, const std::string& experiment, int runs, int steps) {
  ASSIGN_OR_RETURN(auto conn, db.Connect());
  const std::string n = std::to_string(runs);
  const std::string s = std::to_string(steps);
  RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO runs SELECT md5('bench' || i::VARCHAR), " + experiment + ", 'r' || i::VARCHAR, 'bench', "
      "'FINISHED', TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND, TIMESTAMP '2026-01-02', '', 'active', NULL "
      "FROM range(" + n + ") t(i)"));
  RETURN_IF_ERROR(conn.Execute("INSERT INTO metric_series SELECT 1000000000 + i, md5('bench' || i::VARCHAR), 'loss' "
                               "FROM range(" + n + ") t(i)"));
  return conn.Execute("INSERT INTO metric_points SELECT 1000000000 + i, hash(i * 100003 + j) % 1000000 / 1e6, 0, j "
                      "FROM range(" + n + ") t(i), range(" + s + ") u(j)");
}

Result<int> Main(int runs, int steps, int decisions, const std::string& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SystemClock clock;
  ASSIGN_OR_RETURN(auto db, store::Database::Open(dir + "/mlcost.duckdb"));
  ASSIGN_OR_RETURN(auto tracking, tracking::TrackingService::Open(*db, clock));
  ASSIGN_OR_RETURN(std::string experiment, tracking->CreateExperiment("pruner-bench", "", {}));
  // The judged run: RUNNING, S steps, a value that keeps it alive (no tag is written per decision).
  tracking::CreateRunRequest create;
  create.experiment_id = experiment;
  ASSIGN_OR_RETURN(Run judged, tracking->CreateRun(create));
  tracking::LogBatchRequest batch;
  batch.run_id = judged.info.run_id;
  for (int j = 0; j < steps; ++j) batch.metrics.push_back({"loss", 0.0, 0, j});
  RETURN_IF_ERROR(tracking->LogBatch(batch));
  // One more run, finished after the index is built: the incremental insert.
  ASSIGN_OR_RETURN(Run late, tracking->CreateRun(create));
  batch.run_id = late.info.run_id;
  RETURN_IF_ERROR(tracking->LogBatch(batch));

  auto start = Clock::now();
  RETURN_IF_ERROR(Populate(*db, experiment, runs, steps));
  std::printf("populated %d finished runs x %d steps in %.0f ms\n", runs, steps, Ms(start));

  auto pruner = earlystop::ParseExperimentPruner(nlohmann::json{{"metric", "loss"}, {"type", "median"}});
  if (!pruner.ok()) return pruner.status();
  earlystop::PrunerIndex index;
  earlystop::PrunerService indexed(*tracking, &index);
  earlystop::PrunerService scanning(*tracking);
  RETURN_IF_ERROR(indexed.Set(experiment, *pruner));

  auto decide = [&](earlystop::PrunerService& service) -> Result<earlystop::StopDecision> {
    ASSIGN_OR_RETURN(Run run, tracking->GetRun(judged.info.run_id));
    return service.Decide(run);
  };
  start = Clock::now();
  ASSIGN_OR_RETURN(earlystop::StopDecision first, decide(indexed));
  const double build_ms = Ms(start);
  std::vector<double> indexed_us;
  for (int i = 0; i < decisions; ++i) {
    start = Clock::now();
    ASSIGN_OR_RETURN(earlystop::StopDecision d, decide(indexed));
    indexed_us.push_back(Ms(start) * 1000);
    if (d.reason != first.reason) return Internal("indexed decisions differ: " + d.reason);
  }
  std::vector<double> get_run_us;  // the part of a decision that is not the pruner's
  for (int i = 0; i < decisions; ++i) {
    start = Clock::now();
    ASSIGN_OR_RETURN(Run run, tracking->GetRun(judged.info.run_id));
    get_run_us.push_back(Ms(start) * 1000);
  }
  std::vector<double> scan_us;
  earlystop::StopDecision scanned;
  for (int i = 0; i < std::max(1, decisions / 100); ++i) {
    start = Clock::now();
    ASSIGN_OR_RETURN(scanned, decide(scanning));
    scan_us.push_back(Ms(start) * 1000);
  }
  tracking::UpdateRunRequest finish;
  finish.run_id = late.info.run_id;
  finish.status = "FINISHED";
  RETURN_IF_ERROR(tracking->UpdateRun(finish).status());
  start = Clock::now();
  ASSIGN_OR_RETURN(earlystop::StopDecision after, decide(indexed));
  const double incremental_ms = Ms(start);
  ASSIGN_OR_RETURN(earlystop::StopDecision after_scan, decide(scanning));

  const double p50 = P50(indexed_us);
  const double scan_p50 = P50(scan_us);
  std::printf("| server decision (GetRun + Decide), %d x %d | p50 |\n|---|---|\n", runs, steps);
  std::printf("| first indexed decision (index built from the store) | %.0f ms |\n", build_ms);
  std::printf("| indexed decision (%d decisions) | %.0f us |\n", decisions, p50);
  std::printf("| of which GetRun alone | %.0f us |\n", P50(get_run_us));
  std::printf("| decision after one more run finished (incremental insert) | %.1f ms |\n", incremental_ms);
  std::printf("| scanning decision (LoadStudy + scan, %zu decisions) | %.0f us |\n", scan_us.size(), scan_p50);
  std::printf("indexed / scan: %.0fx faster\n", scan_p50 / p50);
  const auto stats = index.stats();
  const bool ok = first.reason == scanned.reason && first.stop == scanned.stop && after.reason == after_scan.reason &&
                  stats.builds == 1 && stats.incremental == 1;
  std::printf("check: indexed equals scan (%s), builds %lld, incremental inserts %lld: %s\n", first.reason.c_str(),
              static_cast<long long>(stats.builds), static_cast<long long>(stats.incremental), ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mlcost-pruner-server-bench: a median decision on the server, with and without the index"};
  int runs = 10000;
  int steps = 1000;
  int decisions = 200;
  std::string dir = (std::filesystem::temp_directory_path() / "mlcost-pruner-server-bench").string();
  app.add_option("--runs", runs, "finished runs in the experiment")->check(CLI::PositiveNumber);
  app.add_option("--steps", steps, "steps of the metric per run")->check(CLI::PositiveNumber);
  app.add_option("--decisions", decisions, "indexed decisions timed (scanning: 1 per 100)")->check(CLI::PositiveNumber);
  app.add_option("--work-dir", dir, "data directory (deleted first)");
  CLI11_PARSE(app, argc, argv);
  Result<int> rc = Main(runs, steps, decisions, dir);
  if (!rc.ok()) return Fail("pruner-server-bench", rc.status()).ok() ? 0 : 2;
  return *rc;
}
