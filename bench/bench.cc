#include "bench/bench.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/load_worker.h"
#include "bench/report.h"
#include "bench/server_process.h"
#include "bench/tracking_client.h"

namespace mlcost::bench {

namespace {

constexpr int kSetUpThreads = 8;
constexpr int kVerifyThreads = 4;
constexpr size_t kMaxProblems = 5;
constexpr auto kServerReadyTimeout = std::chrono::seconds(60);

// One scenario and the series (one run each) its clients write.
struct Phase {
  ScenarioSpec spec;
  int clients = 0;
  std::string key;
  std::vector<Series> series;
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Human-readable output; nothing when `out` is null (--json-only).
__attribute__((format(printf, 2, 3))) void Say(std::FILE* out, const char* format, ...) {
  if (out == nullptr) return;
  va_list args;
  va_start(args, format);
  std::vfprintf(out, format, args);
  va_end(args);
  std::fflush(out);
}

std::vector<Phase> PlanPhases(const BenchOptions& o) {
  // The baseline runs first, on the emptiest database, so the ratios are not flattered.
  std::vector<Phase> phases(3);
  phases[0].spec = {"baseline-batch" + std::to_string(o.baseline_points), Endpoint::kLogBatch,
                    o.baseline_points, o.seconds, o.max_requests};
  phases[0].clients = o.batch_clients;
  phases[0].key = "baseline_metric";
  phases[1].spec = {"log-batch", Endpoint::kLogBatch, o.points, o.seconds, o.max_requests};
  phases[1].clients = o.batch_clients;
  phases[1].key = "batch_metric";
  phases[2].spec = {"log-metric", Endpoint::kLogMetric, 1, o.seconds, o.max_requests};
  phases[2].clients = o.metric_clients;
  phases[2].key = "single_metric";
  return phases;
}

// Creates the experiment and one run per client of every phase, a few runs at a time.
Status SetUp(const std::string& url, std::vector<Phase>& phases) {
  std::string experiment_id;
  {
    TrackingClient client(url);
    std::string name =
        "mlcost-bench-" + std::to_string(NowMs()) + "-" + std::to_string(getpid());
    ASSIGN_OR_RETURN(experiment_id, client.CreateExperiment(name));
  }
  std::vector<Series*> slots;
  for (Phase& phase : phases) {
    phase.series.resize(static_cast<size_t>(phase.clients));
    for (Series& s : phase.series) {
      s.key = phase.key;
      slots.push_back(&s);
    }
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kSetUpThreads; ++t) {
    threads.emplace_back([&] {
      TrackingClient client(url);
      for (size_t i = next++; i < slots.size(); i = next++) {
        int64_t now = NowMs();
        Result<std::string> run_id = client.CreateRun(experiment_id, now);
        if (!run_id.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = run_id.status();
          return;
        }
        slots[i]->run_id = std::move(*run_id);
        slots[i]->base_timestamp_ms = now;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return first_error;
}

// Reads back every series whose client did not fail, with a few threads.
SelfCheck VerifyAll(const std::string& url, const std::vector<Phase>& phases,
                    const std::vector<ScenarioResult>& results) {
  struct Task {
    const Series* series;
    int64_t expected;
  };
  SelfCheck check;
  check.ran = true;
  std::vector<Task> tasks;
  for (size_t p = 0; p < phases.size() && p < results.size(); ++p) {
    for (size_t i = 0; i < phases[p].series.size(); ++i) {
      if (results[p].failed[i]) {
        ++check.skipped;
      } else {
        tasks.push_back({&phases[p].series[i], results[p].acked[i]});
      }
    }
  }
  auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::vector<std::thread> threads;
  int n = std::min<int>(kVerifyThreads, static_cast<int>(tasks.size()));
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&] {
      TrackingClient client(url);
      for (size_t i = next++; i < tasks.size(); i = next++) {
        Result<int64_t> read = client.VerifySeries(*tasks[i].series, tasks[i].expected);
        std::lock_guard<std::mutex> lock(mu);
        ++check.series;
        if (read.ok()) {
          check.points += *read;
        } else if (check.problems.size() < kMaxProblems) {
          check.problems.push_back(read.status().message());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return check;
}

void CollectFailures(BenchReport& report) {
  for (const ScenarioResult& s : report.scenarios) {
    if (s.errors > 0) {
      report.failures.push_back(s.name + ": " + std::to_string(s.errors) +
                                " request(s) did not get 200; first: " + s.error_samples.front());
    } else if (s.requests == 0) {
      report.failures.push_back(s.name + ": no request completed");
    }
  }
  if (report.check.ran && !report.check.problems.empty()) {
    report.failures.push_back("self-check: acknowledged points differ from get-history (" +
                              report.check.problems.front() + ")");
  }
}

int Finish(BenchReport& report, std::FILE* human) {
  if (human != nullptr) PrintSummary(report, human);
  std::printf("%s\n", JsonLine(report).c_str());
  std::fflush(stdout);
  return report.ok() ? 0 : 1;
}

}  // namespace

int RunBenchmark(const BenchOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);
  std::FILE* human = options.json_only ? nullptr : stdout;
  BenchReport report;
  report.options = options;

  std::unique_ptr<TempDir> data_dir;
  std::unique_ptr<ServerProcess> server;
  std::string url = options.server_url;
  if (url.empty()) {
    Result<std::unique_ptr<TempDir>> dir = TempDir::Create("mlcost-bench");
    if (!dir.ok()) {
      report.failures.push_back(dir.status().message());
      return Finish(report, human);
    }
    data_dir = std::move(*dir);
    if (options.keep_data) data_dir->keep();
    std::string binary =
        options.mlcost_binary.empty() ? SelfDir() + "/mlcost" : options.mlcost_binary;
    Result<std::unique_ptr<ServerProcess>> started = ServerProcess::Start(
        binary, {"serve", "--data-dir", data_dir->path(), "--host", "127.0.0.1", "--port", "0"},
        kServerReadyTimeout);
    if (!started.ok()) {
      report.failures.push_back("server did not start: " + started.status().message());
      return Finish(report, human);
    }
    server = std::move(*started);
    url = server->url();
    report.server = "spawned";
  } else {
    report.server = url;
  }
  Say(human, "mlcost-bench: %s server at %s%s%s; %u CPUs; %.1f s per scenario\n",
      server ? "spawned" : "existing", url.c_str(), data_dir ? ", data dir " : "",
      data_dir ? data_dir->path().c_str() : "", std::thread::hardware_concurrency(),
      options.seconds);

  std::vector<Phase> phases = PlanPhases(options);
  if (Status setup = SetUp(url, phases); !setup.ok()) {
    report.failures.push_back("setup: " + setup.message());
  } else {
    for (const Phase& phase : phases) {
      double server_cpu_before = server ? server->CpuSeconds() : -1;
      report.scenarios.push_back(RunScenario(url, phase.spec, phase.series));
      double server_cpu_after = server ? server->CpuSeconds() : -1;
      if (server_cpu_before >= 0 && server_cpu_after >= 0) {
        report.scenarios.back().server_cpu_s = server_cpu_after - server_cpu_before;
      }
      PrintScenario(report.scenarios.back(), human != nullptr ? human : stderr);
      if (server && !server->Running()) break;
    }
    if (!server || server->Running()) {
      report.check = VerifyAll(url, phases, report.scenarios);
    }
    CollectFailures(report);
  }
  if (server) {
    if (Status stopped = server->Stop(); !stopped.ok()) {
      report.failures.push_back("server: " + stopped.message() + "; its last stdout lines:" +
                                server->OutputTail());
    }
  }
  if (data_dir && options.keep_data) Say(human, "data kept in %s\n", data_dir->path().c_str());
  return Finish(report, human);
}

}  // namespace mlcost::bench
