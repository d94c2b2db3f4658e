#include "cli/run_supervisor.h"

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "agent/oom_counter.h"
#include "cli/checkpoint_committer.h"
#include "cli/prune_watcher.h"
#include "cli/run_events.h"
#include "cli/run_setup.h"
#include "common/clock.h"

namespace mlcost::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr char kResumePlaceholder[] = "{resume}";
constexpr int64_t kWaitSliceMs = 100;

int64_t NowMs() { return SystemClock::Get().Now() / 1000; }

int64_t MsSince(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start).count();
}

volatile sig_atomic_t g_backoff_signal = 0;

void OnSignalDuringBackoff(int sig) { g_backoff_signal = sig; }

// Sleeps `ms` unless SIGINT, SIGTERM or SIGHUP arrives first (caught meanwhile, on whichever
// thread it lands); returns the signal, or 0 after the full wait.
int SleepUnlessSignalled(int64_t ms) {
  constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  constexpr int64_t kSliceMs = 20;
  struct sigaction sa {}, previous[3];
  sa.sa_handler = OnSignalDuringBackoff;
  sigemptyset(&sa.sa_mask);
  g_backoff_signal = 0;
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &previous[i]);
  for (int64_t slept = 0; slept < ms && g_backoff_signal == 0; slept += kSliceMs) {
    int64_t slice = std::min(kSliceMs, ms - slept);
    timespec ts{0, static_cast<long>(slice * 1000000)};
    nanosleep(&ts, nullptr);
  }
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &previous[i], nullptr);
  return g_backoff_signal;
}

}  // namespace

std::vector<std::string> SubstituteResume(const std::vector<std::string>& argv, const std::string& resume_path) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (std::string arg : argv) {
    for (size_t pos = arg.find(kResumePlaceholder); pos != std::string::npos;
         pos = arg.find(kResumePlaceholder, pos + resume_path.size())) {
      arg.replace(pos, sizeof kResumePlaceholder - 1, resume_path);
    }
    out.push_back(std::move(arg));
  }
  return out;
}

RunSupervisor::RunSupervisor(SupervisorOptions options, RunIdentity identity, agent::EventSpool& spool,
                             std::function<void()> notify_spool, checkpoint::CheckpointStore& store)
    : options_(std::move(options)),
      identity_(std::move(identity)),
      spool_(spool),
      notify_spool_(std::move(notify_spool)),
      store_(store) {}

void RunSupervisor::Spool(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "mlcost run: warning: could not spool an update for the server: %s\n",
                 status.message().c_str());
  }
  if (notify_spool_) notify_spool_();
}

std::string RunSupervisor::ResumePath() {
  Result<checkpoint::CheckpointStore::Fetched> latest = store_.FetchLatest(identity_.resume_dir);
  if (!latest.ok()) {
    if (latest.status().code() != StatusCode::kNotFound) {
      std::fprintf(stderr, "mlcost run: warning: cannot read checkpoints in %s: %s; starting without one\n",
                   store_.uri().c_str(), latest.status().message().c_str());
    }
    return "";
  }
  const auto& [manifest, paths] = *latest;
  if (paths.empty()) return "";
  std::string path = paths[0];
  if (paths.size() > 1) {
    // Several files: the directory holding them (paths[0] ends with the manifest's relative path).
    const std::string& relative = manifest.files[0].path;
    path = path.substr(0, path.size() - relative.size());
    while (path.size() > 1 && path.back() == '/') path.pop_back();
  }
  std::fprintf(stderr, "mlcost run: resuming from checkpoint %s (%s)\n", manifest.name.c_str(), path.c_str());
  return path;
}

agent::ExitInfo RunSupervisor::Watch(agent::ChildProcess& child, agent::EndContext& context,
                                     CheckpointCommitter& committer, agent::PreemptionWatcher& preemption,
                                     PruneWatcher& prune) {
  SteadyClock::time_point last_scan = SteadyClock::now();
  std::optional<SteadyClock::time_point> kill_at;
  bool killed = false;
  while (true) {
    if (std::optional<agent::ExitInfo> done = child.WaitFor(kWaitSliceMs)) {
      // A forwarded signal the job obeyed at once ends the wait before the loop below sees it.
      if (agent::ChildProcess::ForwardedSignal() != 0) context.interrupted = true;
      return *done;
    }
    SteadyClock::time_point now = SteadyClock::now();
    if (now - last_scan >= std::chrono::milliseconds(options_.scan_interval_ms)) {
      committer.Scan();
      last_scan = now;
    }
    if (!context.preempted) {
      if (std::optional<agent::PreemptionNotice> notice = preemption.Notice()) {
        context.preempted = true;
        std::fprintf(stderr,
                     "mlcost run: %s preemption notice (%s): sending SIGTERM to the job; it has %s to write "
                     "a checkpoint\n",
                     agent::CloudProviderName(notice->provider), notice->detail.c_str(),
                     FormatElapsed(options_.preemption_grace_ms).c_str());
        child.SignalGroup(SIGTERM);
        auto deadline = now + std::chrono::milliseconds(options_.preemption_grace_ms);
        kill_at = kill_at ? std::min(*kill_at, deadline) : deadline;
      }
    }
    if (!context.pruned && !context.completed) {
      if (std::optional<StopDecision> decision = prune.Decision()) {
        context.pruned = !decision->finish;
        context.completed = decision->finish;
        prune_reason_ = decision->reason.empty() ? std::string("stopped by the server") : decision->reason;
        std::fprintf(stderr, "mlcost run: the server %s run %s (%s): sending SIGTERM to the job\n",
                     decision->finish ? "completed" : "stopped", identity_.run_id.c_str(), prune_reason_.c_str());
        child.SignalGroup(SIGTERM);
        auto deadline = now + std::chrono::milliseconds(options_.stop_grace_ms);
        kill_at = kill_at ? std::min(*kill_at, deadline) : deadline;
      }
    }
    if (!context.interrupted && agent::ChildProcess::ForwardedSignal() != 0) {
      context.interrupted = true;
      auto deadline = now + std::chrono::milliseconds(options_.stop_grace_ms);
      kill_at = kill_at ? std::min(*kill_at, deadline) : deadline;
    }
    if (kill_at && !killed && now >= *kill_at) {
      std::fprintf(stderr, "mlcost run: the job did not stop after SIGTERM; sending SIGKILL\n");
      child.SignalGroup(SIGKILL);
      killed = true;
    }
  }
}

SupervisorResult RunSupervisor::Run() {
  SupervisorResult result;
  SteadyClock::time_point started_at = SteadyClock::now();
  agent::PreemptionWatcher preemption(options_.preemption);
  PruneWatcher prune(identity_.tracking_uri, identity_.run_id, options_.prune_poll_ms);
  CheckpointCommitter committer(store_, identity_.checkpoint_dir);
  const int max_attempts = options_.restart.max_restarts + 1;

  for (int attempt = 1;; ++attempt) {
    std::string resume = ResumePath();
    if (attempt > 1) Spool(SpoolAttemptStart(spool_, identity_.run_id, NowMs()));
    RunContext context{identity_.run_id, identity_.experiment_id, identity_.tracking_uri, identity_.checkpoint_dir,
                       resume};
    agent::ChildSpec spec{SubstituteResume(options_.command, resume), ChildEnvironment(context)};
    spec.env.emplace_back("MLCOST_ATTEMPT", std::to_string(attempt));
    spec.env.emplace_back("MLCOST_MAX_ATTEMPTS", std::to_string(max_attempts));

    std::optional<int64_t> oom_before = agent::ReadOomKillCount();
    Result<agent::ChildProcess> child = agent::ChildProcess::Start(spec);
    result.attempts = attempt;
    if (!child.ok()) {
      // The command cannot run (not found, not executable): never retried.
      result.started = attempt > 1;
      result.start_error = child.status();
      result.exit.exited = true;
      result.exit.code = child.status().code() == StatusCode::kNotFound ? 127 : 126;
      result.cause = agent::AttemptCause::kFailed;
      Spool(SpoolAttemptEnd(spool_, identity_.run_id, "FAILED", "failed", NowMs()));
      break;
    }
    result.started = true;
    if (on_attempt_started) on_attempt_started(child->pid());
    agent::EndContext end;
    agent::ExitInfo exit = Watch(*child, end, committer, preemption, prune);
    int64_t ended_ms = NowMs();
    if (on_attempt_ended) on_attempt_ended();
    std::optional<int64_t> oom_after = agent::ReadOomKillCount();
    end.oom_kill_seen = oom_before && oom_after && *oom_after > *oom_before;
    committer.Settle();

    agent::AttemptCause cause = agent::ClassifyEnd(exit, end);
    result.exit = exit;
    result.cause = cause;
    Spool(SpoolAttemptEnd(spool_, identity_.run_id, FinalRunStatus(cause), agent::AttemptCauseName(cause), ended_ms));
    std::vector<std::pair<std::string, std::string>> tags = {
        {"mlcost.exit_code", std::to_string(exit.ShellExitCode())},
        {"mlcost.exit_status", exit.Describe()},
        {"mlcost.attempts", std::to_string(attempt)}};
    if (cause == agent::AttemptCause::kPreempted) tags.emplace_back("mlcost.state", "PREEMPTED");
    if (cause == agent::AttemptCause::kPruned) {
      tags.emplace_back("mlcost.state", "PRUNED");
      tags.emplace_back("mlcost.stop_reason", prune_reason_);
    }
    if (end.completed) tags.emplace_back("mlcost.stop_reason", prune_reason_);
    Spool(SpoolTags(spool_, identity_.run_id, tags));

    if (!options_.restart.ShouldRestart(cause, exit, attempt - 1)) {
      if (cause != agent::AttemptCause::kFinished && attempt > 1) {
        std::fprintf(stderr, "mlcost run: attempt %d of %d ended: %s (%s); not restarting\n", attempt, max_attempts,
                     agent::AttemptCauseName(cause), exit.Describe().c_str());
      }
      break;
    }
    int64_t backoff = options_.restart.BackoffMs(attempt);
    std::fprintf(stderr, "mlcost run: attempt %d of %d ended: %s (%s); restarting in %s\n", attempt, max_attempts,
                 agent::AttemptCauseName(cause), exit.Describe().c_str(), FormatElapsed(backoff).c_str());
    if (int sig = SleepUnlessSignalled(backoff); sig != 0) {
      std::fprintf(stderr, "mlcost run: interrupted (signal %d) while waiting to restart; not restarting\n", sig);
      break;
    }
  }
  preemption.Stop();
  prune.Stop();
  result.elapsed_ms = MsSince(started_at);
  return result;
}

}  // namespace mlcost::cli
