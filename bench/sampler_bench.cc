// mlcost-sampler-bench: what `mlcost run`'s sampler costs (docs/performance.md, "Sampler").
//
// Starts a tree of --processes idle processes, then measures, as % of one core:
//  1. the Sampler thread at 1 s and at 0.1 s for --seconds each (process CPU time from getrusage
//     while the main thread sleeps, so only the sampler thread is counted);
//  2. the CPU time of one sample (SampleOnce in a loop), which gives the cost at any interval;
//  3. the baseline: running `ps -o pid,ppid,rss,cputime --ppid ROOT` once per second, the
//     cheapest thing a wrapper script would do instead (CPU time of the ps children).
// Self-check: every sample must see the whole tree; exit 1 otherwise.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "agent/process_tree_sampler.h"
#include "agent/sampler.h"

namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A root process with `n - 1` children, all blocked in pause(). Returns the root's pid.
pid_t StartTree(int n) {
  pid_t root = fork();
  if (root == 0) {
    setpgid(0, 0);
    for (int i = 1; i < n; ++i) {
      if (fork() == 0) {
        pause();
        _exit(0);
      }
    }
    pause();
    _exit(0);
  }
  setpgid(root, root);
  return root;
}

int CountProcesses() {
  mlcost::agent::ProcessTreeSampler all(1);
  all.Read();
  return static_cast<int>(all.pids().size());
}

struct ThreadResult {
  double percent_of_core = 0;
  int windows = 0;
  int min_processes = 1 << 30;
};

ThreadResult MeasureThread(pid_t root, double interval_s, double seconds, const std::string& nvml) {
  ThreadResult r;
  mlcost::agent::SamplerOptions options;
  options.interval = std::chrono::milliseconds(static_cast<int64_t>(interval_s * 1000));
  options.nvml_library = nvml;
  options.use_gpus = !nvml.empty();
  mlcost::agent::Sampler sampler(root, options, [&r](std::vector<mlcost::agent::MetricPoint> points) {
    ++r.windows;
    for (const auto& p : points) {
      if (p.key == "system/process_count")
        r.min_processes = std::min(r.min_processes, static_cast<int>(p.value));
    }
  });
  const double cpu0 = CpuSeconds(RUSAGE_SELF);
  const auto t0 = Clock::now();
  sampler.Start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  sampler.Stop();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  r.percent_of_core = (CpuSeconds(RUSAGE_SELF) - cpu0) / wall * 100.0;
  return r;
}

// CPU seconds of one SampleOnce, averaged over `n`.
double PerSample(pid_t root, int n, const std::string& nvml, int* processes) {
  mlcost::agent::SamplerOptions options;
  options.nvml_library = nvml;
  options.use_gpus = !nvml.empty();
  options.window_samples = 1 << 30;
  mlcost::agent::Sampler sampler(root, options, nullptr);
  sampler.SampleOnce();
  const double cpu0 = CpuSeconds(RUSAGE_SELF);
  for (int i = 0; i < n; ++i) sampler.SampleOnce();
  const double per = (CpuSeconds(RUSAGE_SELF) - cpu0) / n;
  mlcost::agent::ProcessTreeSampler tree(root);
  *processes = tree.Read().processes;
  return per;
}

// CPU seconds of one `ps` run over the tree, averaged over `n`.
double PerPs(pid_t root, int n) {
  const std::string cmd = "ps -o pid=,ppid=,rss=,cputime= --ppid " + std::to_string(root) + " -p " +
                          std::to_string(root) + " > /dev/null";
  const double cpu0 = CpuSeconds(RUSAGE_CHILDREN);
  for (int i = 0; i < n; ++i) {
    if (std::system(cmd.c_str()) != 0) return -1;
  }
  return (CpuSeconds(RUSAGE_CHILDREN) - cpu0) / n;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mlcost-sampler-bench: CPU cost of the mlcost run sampler next to running ps once per second"};
  int processes = 20;
  double seconds = 10;
  int samples = 2000;
  std::string nvml;
  app.add_option("--processes", processes, "Processes in the sampled tree")->capture_default_str();
  app.add_option("--seconds", seconds, "Seconds of threaded sampling per interval")->capture_default_str();
  app.add_option("--samples", samples, "Samples timed back to back for the per-sample cost")
      ->capture_default_str();
  app.add_option("--nvml-library", nvml, "Also read GPUs through this NVML library (default: no GPUs)");
  CLI11_PARSE(app, argc, argv);

  pid_t root = StartTree(processes);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the children fork
  int seen = 0;
  const double per_sample = PerSample(root, samples, nvml, &seen);
  ThreadResult at1 = MeasureThread(root, 1.0, seconds, nvml);
  ThreadResult at01 = MeasureThread(root, 0.1, seconds, nvml);
  const double per_ps = PerPs(root, 20);
  kill(-root, SIGKILL);
  waitpid(root, nullptr, 0);

  const int machine = CountProcesses();
  const double ps_percent = per_ps * 100.0;  // once per second
  std::printf("sampled tree: %d processes (of %d on the machine)%s\n", seen, machine,
              nvml.empty() ? "" : ", GPUs through the given NVML library");
  std::printf("| what | CPU, %% of one core | vs ps once per second |\n|---|---|---|\n");
  std::printf("| one sample (SampleOnce x %d) | %.1f us per sample | |\n", samples, per_sample * 1e6);
  std::printf("| sampler thread, 1 s interval, %.0f s | %.4f %% | %.3fx |\n", seconds, at1.percent_of_core,
              at1.percent_of_core / ps_percent);
  std::printf("| sampler thread, 0.1 s interval, %.0f s | %.4f %% | %.3fx |\n", seconds, at01.percent_of_core,
              at01.percent_of_core / ps_percent);
  std::printf("| per-sample cost at 1 s | %.4f %% | %.3fx |\n", per_sample * 100.0,
              per_sample * 100.0 / ps_percent);
  std::printf("| baseline: `ps -o ...` once per second | %.4f %% (%.2f ms per run) | 1x |\n", ps_percent,
              per_ps * 1e3);
  bool ok = seen == processes && at1.min_processes == processes && at01.min_processes == processes &&
            at1.windows > 0 && at01.windows > 0 && per_ps > 0;
  std::printf("check: every sample saw the %d-process tree: %s\n", processes, ok ? "ok" : "FAILED");
  std::printf("target: sampling at 1 s <= 1 %% of one core: %s\n",
              at1.percent_of_core <= 1.0 ? "met" : "NOT met");
  return ok ? 0 : 1;
}
