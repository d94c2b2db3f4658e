// mlcost-run-bench: what `mlcost run` costs a job (docs/performance.md, "mlcost run").
//
// 1. Start-up: a command that stamps CLOCK_REALTIME into a file as its first act, started bare and
//    under `mlcost run --server URL` (a server this bench starts), alternating, N times each; the
//    start latency is the stamp minus the moment of spawning, and the wall time is spawn to exit.
//    Printed: p50 of each, the overhead (mlcost run - bare) and the ratio.
// 2. Supervision while the job runs: CPU time (user + system, from wait4) of `mlcost run` around
//    `sleep S` minus around `sleep 0`, divided by S: the agent's share of one core per second of
//    job, sampling every second, scanning the checkpoint directory, watching for preemption.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/server_process.h"

extern char** environ;

namespace {

using mlcost::bench::ServerProcess;
using mlcost::bench::TempDir;

int64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

struct Spawned {
  double start_ms = 0;  // stamp - spawn
  double wall_ms = 0;   // exit - spawn
  double cpu_ms = 0;    // user + system of the process and its children
  int status = 0;
};

// Runs argv in `cwd`, waits, returns its times. The command's stdout/stderr go to /dev/null.
Spawned Run(const std::vector<std::string>& argv, const std::string& cwd, const std::string& stamp_file) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  int64_t spawned = RealtimeNs();
  pid_t pid;
  Spawned out;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    out.status = -1;
    return out;
  }
  rusage usage{};
  wait4(pid, &out.status, 0, &usage);
  int64_t ended = RealtimeNs();
  posix_spawn_file_actions_destroy(&actions);
  out.wall_ms = (ended - spawned) / 1e6;
  out.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
               (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
  std::ifstream in(stamp_file);
  int64_t stamp = 0;
  if (in >> stamp) out.start_ms = (stamp - spawned) / 1e6;
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("mlcost-run-bench: start-up and supervision cost of `mlcost run`");
  int runs = 20;
  double sleep_s = 10;
  std::string binary = mlcost::bench::SelfDir() + "/mlcost";
  app.add_option("--runs", runs, "Start-ups measured per mode")->capture_default_str();
  app.add_option("--sleep-seconds", sleep_s, "Length of the job for the supervision cost")->capture_default_str();
  app.add_option("--binary", binary, "The mlcost binary")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto dir = TempDir::Create("mlcost-run-bench-");
  if (!dir.ok()) return std::fprintf(stderr, "%s\n", dir.status().message().c_str()), 1;
  std::string work = (*dir)->path();
  auto server = ServerProcess::Start(binary, {"serve", "--data-dir", work + "/data", "--port", "0"},
                                     std::chrono::seconds(60));
  if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().message().c_str()), 1;
  std::string url = (*server)->url();

  std::string stamp = work + "/stamp";
  std::vector<std::string> job = {"/bin/sh", "-c", "date +%s%N > " + stamp};
  std::vector<std::string> wrapped = {binary, "run", "--server", url, "--cloud", "none", "--"};
  wrapped.insert(wrapped.end(), job.begin(), job.end());

  std::vector<double> bare_start, bare_wall, run_start, run_wall;
  for (int i = 0; i < runs; ++i) {
    Spawned b = Run(job, work, stamp);
    Spawned r = Run(wrapped, work, stamp);
    if (b.status != 0 || r.status != 0) {
      std::fprintf(stderr, "a command failed (bare status %d, mlcost run status %d)\n", b.status, r.status);
      return 1;
    }
    bare_start.push_back(b.start_ms);
    bare_wall.push_back(b.wall_ms);
    run_start.push_back(r.start_ms);
    run_wall.push_back(r.wall_ms);
  }
  double bs = Median(bare_start), rs = Median(run_start), bw = Median(bare_wall), rw = Median(run_wall);
  std::printf("## mlcost run start-up (%d runs per mode, p50)\n\n", runs);
  std::printf("| mode | command started after | command + recording done after |\n|---|---|---|\n");
  std::printf("| bare `sh -c date` (baseline) | %.1f ms | %.1f ms |\n", bs, bw);
  std::printf("| `mlcost run --server URL -- sh -c date` | %.1f ms | %.1f ms |\n\n", rs, rw);
  std::printf("start-up overhead: %.1f ms (%.2fx the bare start); end-to-end overhead %.1f ms\n\n", rs - bs,
              bs > 0 ? rs / bs : 0, rw - bw);

  std::string s = std::to_string(sleep_s);
  std::vector<std::string> idle = {binary, "run", "--server", url, "--cloud", "none", "--sample-interval", "1",
                                   "--", "sleep", "0"};
  std::vector<std::string> busy = idle;
  busy.back() = s;
  Spawned short_run = Run(idle, work, "/dev/null");
  Spawned long_run = Run(busy, work, "/dev/null");
  double per_second = (long_run.cpu_ms - short_run.cpu_ms) / sleep_s;
  std::printf("## supervision cost (sampling at 1 s)\n\n");
  std::printf("CPU of `mlcost run -- sleep %.0f`: %.1f ms; of `mlcost run -- sleep 0` (baseline): %.1f ms\n",
              sleep_s, long_run.cpu_ms, short_run.cpu_ms);
  std::printf("agent CPU while the job runs: %.3f %% of one core\n", per_second / 10.0);
  return 0;
}
