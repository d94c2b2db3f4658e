// mlcost-ingest-bench: rows/s of `mlcost ingest` on a large generated FOCUS CSV, next to DuckDB
// reading the same file straight into a table and a pandas script doing the same mapping, in one
// invocation. See docs/performance.md, "Ingest".
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench/ingest/child_process.h"
#include "bench/ingest/focus_csv_generator.h"
#include "store/database.h"
#include "bench/ingest/ingest_phase.h"
#include "bench/ingest/pandas_phase.h"

namespace {

namespace fs = std::filesystem;
using mlcost::Result;
using mlcost::Status;
using mlcost::bench::PhaseResult;

struct Options {
  int64_t rows = 5'000'000;
  uint64_t seed = 1;
  std::string sample = std::string(MLCOST_SOURCE_DIR) + "/../shared/data/billing/focus/focus-1.0_focus_sample_1000.csv";
  std::string work_dir = (fs::temp_directory_path() / "mlcost-ingest-bench").string();
  bool keep = false;
  int threads = 0;
  std::string memory_limit;
  int64_t pandas_rows = 500'000;
  std::string python = "/usr/bin/python3";
  std::string pandas_script = std::string(MLCOST_SOURCE_DIR) + "/bench/ingest/focus_pandas.py";
  bool skip_baseline = false, skip_pandas = false;
  int64_t bad_row = 0;
  // Internal: run one phase in this (child) process and print its JSON.
  std::string phase, phase_file, phase_target;
};

std::string SelfExe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "mlcost-ingest-bench" : p.string();
}

std::string Mib(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

// Reads the file once so that every phase finds it in the page cache.
void WarmPageCache(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> buf(8 << 20);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
  }
}

int RunPhase(const Options& o) {
  mlcost::store::DatabaseOptions db{o.threads, o.memory_limit};
  Result<PhaseResult> r = o.phase == "baseline" ? mlcost::bench::RunBaselinePhase(o.phase_file, o.phase_target, db)
                                                : mlcost::bench::RunMlcostPhase(o.phase_file, o.phase_target, db);
  if (!r.ok()) {
    std::cerr << "mlcost-ingest-bench: " << o.phase << ": " << r.status().ToString() << "\n";
    return 1;
  }
  std::cout << mlcost::bench::ToJson(*r).dump() << std::endl;
  return 0;
}

Result<PhaseResult> RunChildPhase(const Options& o, const std::string& phase, const std::string& csv,
                                  const std::string& target) {
  std::vector<std::string> argv = {SelfExe(), "--phase", phase, "--phase-file", csv, "--phase-target", target,
                                   "--threads", std::to_string(o.threads)};
  if (!o.memory_limit.empty()) argv.insert(argv.end(), {"--memory-limit", o.memory_limit});
  ASSIGN_OR_RETURN(std::string output, mlcost::bench::RunCommand(argv));
  nlohmann::json j = nlohmann::json::parse(output, nullptr, false);
  if (j.is_discarded()) return mlcost::Internal(phase + " printed no JSON: " + output);
  return mlcost::bench::PhaseResultFromJson(j);
}

int Fail(const std::string& what, const Status& status) {
  std::cerr << "mlcost-ingest-bench: " << what << ": " << status.ToString() << "\n";
  return 1;
}

// --bad-row: the ingest must fail naming the file, the line and the column, and leave the store
// empty, with bounded memory.
int RunBadInput(const Options& o, const std::string& csv) {
  std::error_code ec;
  Result<PhaseResult> r = RunChildPhase(o, "mlcost", csv, o.work_dir + "/mlcost-data");
  fs::remove_all(o.work_dir + "/mlcost-data", ec);
  if (!o.keep) fs::remove(csv, ec);
  if (!r.ok()) return Fail("mlcost ingest", r.status());
  const std::string where = csv + ":" + std::to_string(o.bad_row + 1) + ": column \"BilledCost\": \"12.3.4\"";
  bool ok = !r->error.empty() && r->error.find(where) != std::string::npos && r->rows == 0;
  std::cout << "\nbad input (data row " << Thousands(o.bad_row) << " = line " << Thousands(o.bad_row + 1)
            << ", BilledCost \"12.3.4\"): the ingest " << (r->error.empty() ? "SUCCEEDED" : "failed") << " after "
            << Fixed(r->seconds, 2) << " s, peak RSS " << Mib(r->peak_rss_bytes) << " MiB\nerror: " << r->error
            << "\ncosts rows after the failed ingest: " << r->rows << "\ncheck: " << (ok ? "ok" : "FAILED") << "\n";
  return ok ? 0 : 1;
}

int Run(const Options& o) {
  std::error_code ec;
  fs::create_directories(o.work_dir, ec);
  const std::string csv = o.work_dir + "/focus-" + std::to_string(o.rows) + "-seed" + std::to_string(o.seed) +
                          (o.bad_row > 0 ? "-bad" + std::to_string(o.bad_row) : "") + ".csv";
  const std::string meta = csv + ".billed_cost";
  std::string expected_billed;
  double generate_seconds = -1;
  int64_t file_bytes = 0;
  if (o.keep && fs::exists(csv) && fs::exists(meta)) {
    std::ifstream(meta) >> expected_billed;
    file_bytes = static_cast<int64_t>(fs::file_size(csv));
  } else {
    Result<mlcost::bench::FocusCsvGenerator> gen = mlcost::bench::FocusCsvGenerator::Load(o.sample);
    if (!gen.ok()) return Fail("sample", gen.status());
    auto start = std::chrono::steady_clock::now();
    Result<mlcost::bench::GeneratedFile> file = gen->Write(csv, o.rows, o.seed, o.bad_row);
    if (!file.ok()) return Fail("generate", file.status());
    generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    expected_billed = file->billed_cost.ToString();
    file_bytes = file->bytes;
    std::ofstream(meta) << expected_billed << "\n";
  }
  std::cout << "mlcost-ingest-bench: " << Thousands(o.rows) << " FOCUS 1.0 rows, " << Mib(file_bytes)
            << " MiB (" << csv << (generate_seconds >= 0 ? ", generated in " + Fixed(generate_seconds, 1) + " s" : ", reused")
            << ")\nmachine: " << std::thread::hardware_concurrency() << " cores, " << CpuModel()
            << "; DuckDB threads: " << std::to_string(o.threads) + (o.threads == mlcost::store::DefaultServerThreads() ? " (mlcost serve's default)" : "")
            << ", memory_limit: " << (o.memory_limit.empty() ? "default (80% of RAM)" : o.memory_limit) << "\n";
  WarmPageCache(csv);

  if (o.bad_row > 0) return RunBadInput(o, csv);
  std::optional<PhaseResult> baseline, pandas, pandas_exact;
  if (!o.skip_baseline) {
    Result<PhaseResult> r = RunChildPhase(o, "baseline", csv, o.work_dir + "/baseline.duckdb");
    if (!r.ok()) return Fail("baseline", r.status());
    baseline = *r;
    fs::remove(o.work_dir + "/baseline.duckdb", ec);
    fs::remove(o.work_dir + "/baseline.duckdb.wal", ec);
  }
  Result<PhaseResult> mlcost_phase = RunChildPhase(o, "mlcost", csv, o.work_dir + "/mlcost-data");
  fs::remove_all(o.work_dir + "/mlcost-data", ec);
  if (!mlcost_phase.ok()) return Fail("mlcost ingest", mlcost_phase.status());
  const PhaseResult& m = *mlcost_phase;
  int64_t pandas_rows = o.pandas_rows > 0 && o.pandas_rows < o.rows ? o.pandas_rows : o.rows;
  if (!o.skip_pandas) {
    std::string pickle = o.work_dir + "/pandas-out.pkl";
    for (bool exact : {false, true}) {
      Result<PhaseResult> r = mlcost::bench::RunPandasPhase(o.python, o.pandas_script, csv, pickle,
                                                            pandas_rows == o.rows ? 0 : pandas_rows, exact);
      if (!r.ok()) return Fail("pandas", r.status());
      (exact ? pandas_exact : pandas) = *r;
    }
    if (!o.keep) {
      fs::remove(pickle, ec);
      fs::remove(pickle + ".mapping.json", ec);
    }
  }
  if (!o.keep) {
    fs::remove(csv, ec);
    fs::remove(meta, ec);
  }

  auto rate = [](const PhaseResult& r) { return r.seconds > 0 ? static_cast<double>(r.rows) / r.seconds : 0.0; };
  std::cout << "\n| phase | rows | seconds | rows/s | peak RSS (MiB) |\n|---|---:|---:|---:|---:|\n";
  if (baseline) {
    std::cout << "| DuckDB read_csv -> CREATE TABLE (baseline) | " << Thousands(baseline->rows) << " | "
              << Fixed(baseline->seconds, 2) << " | " << Thousands(static_cast<int64_t>(rate(*baseline))) << " | "
              << Mib(baseline->peak_rss_bytes) << " |\n";
  }
  std::cout << "| mlcost IngestService::Ingest | " << Thousands(m.rows + m.rows_rejected) << " | " << Fixed(m.seconds, 2)
            << " | " << Thousands(static_cast<int64_t>(static_cast<double>(m.rows + m.rows_rejected) / m.seconds))
            << " | " << Mib(m.peak_rss_bytes) << " |\n";
  for (const auto& [p, name] : {std::pair{&pandas, "float64"}, std::pair{&pandas_exact, "exact Decimal"}}) {
    if (!*p) continue;
    const PhaseResult& r = **p;
    std::cout << "| pandas FOCUS mapping, " << name
              << (r.rows < o.rows ? " (first " + Thousands(r.rows) + " rows)" : "") << " | " << Thousands(r.rows)
              << " | " << Fixed(r.seconds, 2) << " | " << Thousands(static_cast<int64_t>(rate(r))) << " | "
              << Mib(r.peak_rss_bytes) << " |\n";
  }
  std::cout << "\n";
  const double mlcost_rate = static_cast<double>(m.rows + m.rows_rejected) / m.seconds;
  if (baseline) {
    double ratio = m.seconds / baseline->seconds;
    std::cout << "mlcost time / DuckDB baseline time: " << Fixed(ratio, 2) << "x (target <= 2.00x: "
              << (ratio <= 2.0 ? "met" : "NOT met") << ")\n";
  }
  for (const auto& [p, name] : {std::pair{&pandas, "float64"}, std::pair{&pandas_exact, "exact Decimal"}}) {
    if (!*p) continue;
    const PhaseResult& r = **p;
    double speedup = mlcost_rate / rate(r);
    std::cout << "mlcost speedup over pandas (" << name << "): " << Fixed(speedup, 1) << "x (target >= 20x: "
              << (speedup >= 20.0 ? "met" : "NOT met") << ")";
    if (r.rows < o.rows) {
      std::cout << "; pandas ran on the first " << Thousands(r.rows) << " rows, extrapolated linearly to "
                << Fixed(static_cast<double>(o.rows) / rate(r), 0) << " s for all " << Thousands(o.rows);
    }
    std::cout << "\n";
  }
  // The loaded money must be the generator's exact sum, and every row must be there.
  bool ok = m.rows + m.rows_rejected == o.rows && m.billed_cost == expected_billed &&
            (!baseline || baseline->rows == o.rows);
  std::cout << "check: mlcost loaded " << Thousands(m.rows) << " rows (+" << m.rows_rejected
            << " rejected), BilledCost " << m.billed_cost << " vs generated " << expected_billed << ": "
            << (ok ? "ok" : "MISMATCH") << "\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "mlcost-ingest-bench: generates a FOCUS 1.0 CSV by scaling the real sample, then times DuckDB reading it "
      "into a table, mlcost's ingest of it, and a pandas script doing the same mapping. Exit code 0 only if "
      "mlcost loaded every row with the generator's exact BilledCost total."};
  app.add_option("--rows", o.rows, "Data rows to generate")->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--seed", o.seed, "Generator seed")->capture_default_str();
  app.add_option("--sample", o.sample, "The FOCUS sample to scale")->capture_default_str();
  app.add_option("--work-dir", o.work_dir, "Where the CSV and the databases go")->capture_default_str();
  app.add_flag("--keep", o.keep,
               "Keep the generated CSV (and reuse it if it is already there) and pandas' output and mapping");
  app.add_option("--threads", o.threads, "DuckDB threads for both DuckDB phases (0 = mlcost serve's default: half the cores, at least 1)")
      ->capture_default_str()->check(CLI::Range(0, 1024));
  app.add_option("--memory-limit", o.memory_limit, "DuckDB memory_limit for both phases (default: DuckDB's, as the server)");
  app.add_option("--pandas-rows", o.pandas_rows, "Rows pandas maps (the first N; 0 = all); its rate is extrapolated")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--python", o.python, "Python with pandas")->capture_default_str();
  app.add_option("--pandas-script", o.pandas_script)->capture_default_str();
  app.add_flag("--skip-baseline", o.skip_baseline, "Do not run the DuckDB baseline");
  app.add_flag("--skip-pandas", o.skip_pandas, "Do not run pandas");
  app.add_option("--bad-row", o.bad_row,
                 "Write a BilledCost that is not a number into this data row and check only that mlcost's ingest "
                 "fails naming file, line and column and leaves the store empty")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--phase", o.phase)->group("")->check(CLI::IsMember({"baseline", "mlcost"}));
  app.add_option("--phase-file", o.phase_file)->group("");
  app.add_option("--phase-target", o.phase_target)->group("");
  CLI11_PARSE(app, argc, argv);
  if (o.threads == 0) o.threads = mlcost::store::DefaultServerThreads();
  if (!o.phase.empty()) return RunPhase(o);
  return Run(o);
}
