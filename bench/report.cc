#include "bench/report.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

#include <nlohmann/json.hpp>

namespace mlcost::bench {

namespace {

constexpr char kBatch[] = "log-batch";

// 1234567.8 -> "1,234,568".
std::string Grouped(double v) {
  std::string digits = std::to_string(static_cast<int64_t>(std::llround(v)));
  std::string out;
  size_t lead = digits[0] == '-' ? 1 : 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > lead && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string UtcNow() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string BaselineName(const BenchReport& report) {
  return "baseline-batch" + std::to_string(report.options.baseline_points);
}

struct Ratios {
  double batch_points = 0;    // A points/s over C points/s
  double batch_requests = 0;  // A req/s over C req/s
  double vs_python = 0;       // C req/s over the published Python figure
  double vs_go = 0;           // C req/s over the published Go figure
  double batch_points_vs_python = 0;  // A points/s over the published Python points/s
  double batch_points_vs_go = 0;
};

Ratios ComputeRatios(const BenchReport& report) {
  Ratios r;
  const ScenarioResult* a = report.Find(kBatch);
  const ScenarioResult* c = report.Find(BaselineName(report));
  if (a == nullptr || c == nullptr) return r;
  r.batch_points = SafeRatio(a->points_per_s(), c->points_per_s());
  r.batch_requests = SafeRatio(a->requests_per_s(), c->requests_per_s());
  r.vs_python = SafeRatio(c->requests_per_s(), kMlflowPythonBatch10ReqPerS);
  r.vs_go = SafeRatio(c->requests_per_s(), kMlflowGoBatch10ReqPerS);
  r.batch_points_vs_python = SafeRatio(a->points_per_s(), kMlflowPythonBatch10ReqPerS * 10);
  r.batch_points_vs_go = SafeRatio(a->points_per_s(), kMlflowGoBatch10ReqPerS * 10);
  return r;
}

nlohmann::json ScenarioJson(const ScenarioResult& s) {
  return {{"clients", s.clients},
          {"points_per_request", s.points_per_request},
          {"elapsed_s", Round2(s.elapsed_s)},
          {"client_cpu_s", Round2(s.client_cpu_s)},
          {"server_cpu_s", Round2(s.server_cpu_s)},
          {"requests", s.requests},
          {"errors", s.errors},
          {"points", s.points},
          {"requests_per_s", Round2(s.requests_per_s())},
          {"points_per_s", Round2(s.points_per_s())},
          {"latency_ms",
           {{"mean", Round2(s.latency.mean_ms)},
            {"p50", Round2(s.latency.p50_ms)},
            {"p99", Round2(s.latency.p99_ms)},
            {"max", Round2(s.latency.max_ms)}}},
          {"error_samples", s.error_samples}};
}

void PrintRatios(const Ratios& r, const std::string& base, std::FILE* out) {
  std::fprintf(out, "ratios (measured now, same server, same invocation):\n");
  std::fprintf(out, "  %s points/s vs %s points/s: %8.1fx\n", kBatch, base.c_str(),
               r.batch_points);
  std::fprintf(out, "  %s req/s    vs %s req/s:    %8.2fx\n", kBatch, base.c_str(),
               r.batch_requests);
  std::fprintf(out,
               "published MLflow figures (NOT measured here: mlflow-go-backend "
               "benchmarks/README.md,\n  LogMetricBatch10, k6 20 users, PostgreSQL, other "
               "hardware):\n");
  std::fprintf(out, "  %s req/s vs MLflow Python server %.0f req/s: %8.1fx\n", base.c_str(),
               kMlflowPythonBatch10ReqPerS, r.vs_python);
  std::fprintf(out, "  %s req/s vs MLflow-Go server     %.0f req/s: %8.1fx\n", base.c_str(),
               kMlflowGoBatch10ReqPerS, r.vs_go);
  std::fprintf(out, "  %s points/s vs MLflow Python %s points/s: %.1fx, vs MLflow-Go %s: %.1fx\n",
               kBatch, Grouped(kMlflowPythonBatch10ReqPerS * 10).c_str(),
               r.batch_points_vs_python, Grouped(kMlflowGoBatch10ReqPerS * 10).c_str(),
               r.batch_points_vs_go);
}

}  // namespace

const ScenarioResult* BenchReport::Find(const std::string& name) const {
  for (const ScenarioResult& s : scenarios) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

void PrintScenario(const ScenarioResult& s, std::FILE* out) {
  std::fprintf(out,
               "%-17s %3d clients x %4d points: %11s points/s %9s req/s  p50 %7.2f ms  "
               "p99 %7.2f ms  errors %lld  cpu%% client %.0f server %s\n",
               s.name.c_str(), s.clients, s.points_per_request, Grouped(s.points_per_s()).c_str(),
               Grouped(s.requests_per_s()).c_str(), s.latency.p50_ms, s.latency.p99_ms,
               static_cast<long long>(s.errors), 100 * SafeRatio(s.client_cpu_s, s.elapsed_s),
               s.server_cpu_s < 0
                   ? "n/a"
                   : std::to_string(std::lround(100 * SafeRatio(s.server_cpu_s, s.elapsed_s)))
                         .c_str());
  for (const std::string& e : s.error_samples) std::fprintf(out, "  error: %s\n", e.c_str());
}

void PrintSummary(const BenchReport& report, std::FILE* out) {
  std::string base = BaselineName(report);
  if (report.Find(kBatch) != nullptr && report.Find(base) != nullptr) {
    PrintRatios(ComputeRatios(report), base, out);
  }
  const SelfCheck& c = report.check;
  if (c.ran) {
    std::fprintf(out, "self-check: %lld series (%lld skipped), %s points read back in %.1f s: %s\n",
                 static_cast<long long>(c.series), static_cast<long long>(c.skipped),
                 Grouped(static_cast<double>(c.points)).c_str(), c.seconds,
                 c.problems.empty() ? "OK" : "MISMATCH");
    for (const std::string& p : c.problems) std::fprintf(out, "  problem: %s\n", p.c_str());
  }
  if (report.ok()) {
    std::fprintf(out, "PASS\n");
  } else {
    for (const std::string& f : report.failures) std::fprintf(out, "FAIL: %s\n", f.c_str());
  }
}

std::string JsonLine(const BenchReport& report) {
  Ratios r = ComputeRatios(report);
  nlohmann::json scenarios = nlohmann::json::object();
  for (const ScenarioResult& s : report.scenarios) scenarios[s.name] = ScenarioJson(s);
  nlohmann::json j = {
      {"bench", "mlcost-bench"},
      {"date", UtcNow()},
      {"cpus", std::thread::hardware_concurrency()},
      {"server", report.server},
      {"seconds_per_scenario", report.options.seconds},
      {"scenarios", scenarios},
      {"ratios",
       {{"log_batch_points_per_s_vs_baseline", Round2(r.batch_points)},
        {"log_batch_requests_per_s_vs_baseline", Round2(r.batch_requests)},
        {"baseline_requests_per_s_vs_published_mlflow_python", Round2(r.vs_python)},
        {"baseline_requests_per_s_vs_published_mlflow_go", Round2(r.vs_go)},
        {"log_batch_points_per_s_vs_published_mlflow_python_batch10",
         Round2(r.batch_points_vs_python)},
        {"log_batch_points_per_s_vs_published_mlflow_go_batch10",
         Round2(r.batch_points_vs_go)}}},
      {"published_not_measured",
       {{"source",
         "mlflow/mlflow-go-backend benchmarks/README.md, LogMetricBatch10, k6 -u 20 -d 30s"},
        {"mlflow_python_batch10_requests_per_s", Round2(kMlflowPythonBatch10ReqPerS)},
        {"mlflow_go_batch10_requests_per_s", Round2(kMlflowGoBatch10ReqPerS)}}},
      {"self_check",
       {{"ran", report.check.ran},
        {"ok", report.check.ran && report.check.problems.empty()},
        {"series", report.check.series},
        {"skipped", report.check.skipped},
        {"points", report.check.points},
        {"seconds", Round2(report.check.seconds)},
        {"problems", report.check.problems}}},
      {"failures", report.failures},
      {"ok", report.ok()}};
  return j.dump();
}

}  // namespace mlcost::bench
