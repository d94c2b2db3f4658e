#include "cli/run_command.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "agent/event_spool.h"
#include "agent/spool_sender.h"
#include "checkpoint/open_checkpoint_store.h"
#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/run_events.h"
#include "cli/run_sampling.h"
#include "cli/run_setup.h"
#include "cli/run_supervisor.h"
#include "cli/spool_dirs.h"
#include "cli/target.h"
#include "common/clock.h"
#include "common/decimal.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr char kCommand[] = "run";
constexpr char kMlflow[] = "/api/2.0/mlflow";

struct RunOptions {
  TargetOptions target;
  std::string experiment;
  std::string name;
  std::vector<std::string> tags;
  std::string instance_type;
  std::string resume;
  double sample_interval = 1.0;  // seconds; 0 = no sampling
  std::vector<std::string> command;
  // Supervision.
  int max_restarts = 0;
  double restart_backoff_s = 1;
  std::vector<int> retry_exit_codes;
  std::string checkpoint_dir;
  std::string s3_endpoint;
  std::string cloud = "auto";
  std::string metadata_url = "http://169.254.169.254";
  double preemption_poll_s = 5;
  double preemption_grace_s = 25;
  double stop_grace_s = 30;
  double drain_timeout_s = 30;
  double prune_poll_s = 5;
  std::string budget;            // money, in the run's price currency (tag mlcost.budget)
  std::string budget_gpu_hours;  // tag mlcost.budget_gpu_hours
  int64_t target_steps = 0;      // tag mlcost.target_steps
};

int64_t NowMs() { return SystemClock::Get().Now() / 1000; }

// The id of the experiment named `name`, created when there is none. "0" (MLflow's Default)
// when `name` is empty; an all-digits name is taken as an id.
Result<std::string> ExperimentIdFor(ApiClient& client, const std::string& name) {
  if (name.empty()) return std::string("0");
  Result<std::string> id = ResolveExperimentId(client, name);
  if (id.ok() || id.status().code() != StatusCode::kNotFound) return id;
  Result<json> created = client.Post(std::string(kMlflow) + "/experiments/create", {{"name", name}});
  // Another `mlcost run` may have created it meanwhile.
  if (!created.ok() && created.status().code() == StatusCode::kAlreadyExists) {
    return ResolveExperimentId(client, name);
  }
  if (!created.ok()) return created.status();
  std::string new_id = JsonString(*created, "experiment_id");
  if (new_id.empty()) return Internal("experiments/create answered without an experiment_id");
  return new_id;
}

Result<std::vector<std::pair<std::string, std::string>>> RunTags(const RunOptions& options) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const std::string& text : options.tags) {
    ASSIGN_OR_RETURN(auto tag, ParseTagArgument(text));
    tags.push_back(std::move(tag));
  }
  if (!options.instance_type.empty()) tags.emplace_back("mlcost.instance_type", options.instance_type);
  if (!options.budget.empty()) tags.emplace_back("mlcost.budget", options.budget);
  if (!options.budget_gpu_hours.empty()) tags.emplace_back("mlcost.budget_gpu_hours", options.budget_gpu_hours);
  if (options.target_steps > 0) tags.emplace_back("mlcost.target_steps", std::to_string(options.target_steps));
  return tags;
}

// Creates the run (or, with --resume, sets the existing one RUNNING again, which opens a new
// attempt) and returns {run_id, experiment_id}.
Result<std::pair<std::string, std::string>> OpenRun(ApiClient& client, const RunOptions& options) {
  ASSIGN_OR_RETURN(auto tags, RunTags(options));
  if (!options.resume.empty()) {
    ASSIGN_OR_RETURN(Fetched run, GetRun(client, options.resume));
    std::string experiment_id = JsonString(run.item, "experiment_id");
    RETURN_IF_ERROR(client
                        .Post(std::string(kMlflow) + "/runs/update",
                              {{"run_id", options.resume}, {"status", "RUNNING"}})
                        .status());
    for (const auto& [key, value] : tags) {
      RETURN_IF_ERROR(client
                          .Post(std::string(kMlflow) + "/runs/set-tag",
                                {{"run_id", options.resume}, {"key", key}, {"value", value}})
                          .status());
    }
    return std::make_pair(options.resume, experiment_id);
  }
  ASSIGN_OR_RETURN(std::string experiment_id, ExperimentIdFor(client, options.experiment));
  json body = {{"experiment_id", experiment_id}, {"start_time", NowMs()}};
  if (!options.name.empty()) body["run_name"] = options.name;
  if (const char* user = std::getenv("USER"); user != nullptr) body["user_id"] = user;
  json tag_list = json::array();
  for (const auto& [key, value] : tags) tag_list.push_back({{"key", key}, {"value", value}});
  body["tags"] = std::move(tag_list);
  ASSIGN_OR_RETURN(json created, client.Post(std::string(kMlflow) + "/runs/create", body));
  std::string run_id = JsonString(Field(Field(created, "run"), "info"), "run_id");
  if (run_id.empty()) return Internal("runs/create answered without a run_id");
  return std::make_pair(run_id, experiment_id);
}

// Ends the run with `status` now. A failure is reported on stderr, not returned: the command's
// exit code is what `mlcost run` exits with either way.
void EndRun(ApiClient& client, const std::string& run_id, const std::string& status) {
  Result<json> updated = client.Post(std::string(kMlflow) + "/runs/update",
                                     {{"run_id", run_id}, {"status", status}, {"end_time", NowMs()}});
  if (!updated.ok()) {
    std::fprintf(stderr, "mlcost run: warning: could not record run %s as %s: %s\n", run_id.c_str(),
                 status.c_str(), updated.status().message().c_str());
  }
}

int64_t Millis(double seconds) { return static_cast<int64_t>(seconds * 1000); }

// ./.mlcost (absolute): where `mlcost run` keeps its per-run state (see spool_dirs.h).
Result<std::string> StateDir() {
  std::error_code error;
  std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error) return Internal("cannot read the current directory: " + error.message());
  return (cwd / ".mlcost").string();
}

Result<std::string> MakeDir(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return Internal("cannot create directory " + path + ": " + error.message());
  return path;
}

Result<SupervisorOptions> MakeSupervisorOptions(const RunOptions& options) {
  SupervisorOptions s;
  s.command = options.command;
  s.restart.max_restarts = options.max_restarts;
  s.restart.backoff_initial_ms = Millis(options.restart_backoff_s);
  s.restart.retry_exit_codes.insert(options.retry_exit_codes.begin(), options.retry_exit_codes.end());
  ASSIGN_OR_RETURN(s.preemption.provider, agent::ParseCloudProvider(options.cloud));
  s.preemption.metadata_url = options.metadata_url;
  s.preemption.poll_interval_ms = Millis(options.preemption_poll_s);
  s.preemption_grace_ms = Millis(options.preemption_grace_s);
  s.stop_grace_ms = Millis(options.stop_grace_s);
  s.prune_poll_ms = Millis(options.prune_poll_s);
  return s;
}

// Delivers what earlier runs left in their spools, in the background, while this run works.
class LeftoverDelivery {
 public:
  LeftoverDelivery(const std::string& state_dir, const std::string& current_spool, const TargetOptions& target,
                   const std::string& url) {
    for (const std::string& dir : PendingSpoolDirs(state_dir)) {
      if (dir == current_spool) continue;
      std::optional<TargetOptions> recorded = ReadSpoolTarget(dir);
      if (!recorded || !SameTarget(*recorded, target)) continue;  // another server's run
      auto spool = agent::EventSpool::Open(dir);
      if (!spool.ok()) {
        // Conflict: that run is still going and delivers its own events.
        if (spool.status().code() != StatusCode::kConflict) {
          std::fprintf(stderr, "mlcost run: warning: %s\n", spool.status().message().c_str());
        }
        continue;
      }
      auto client = std::make_shared<ApiClient>(url);
      senders_.push_back(std::make_unique<agent::SpoolSender>(
          **spool, [client](const agent::SpoolEvent& e) { return DeliverEvent(*client, e); }));
      spools_.push_back(std::move(*spool));
    }
  }
  ~LeftoverDelivery() {
    for (auto& sender : senders_) sender->Stop();
  }
  void Drain(int64_t timeout_ms) {
    for (auto& sender : senders_) sender->Drain(timeout_ms);
  }

 private:
  std::vector<std::unique_ptr<agent::EventSpool>> spools_;
  std::vector<std::unique_ptr<agent::SpoolSender>> senders_;
};

int Run(const RunOptions& options) {
  auto supervisor_options = MakeSupervisorOptions(options);
  if (!supervisor_options.ok()) return ReportError(kCommand, supervisor_options.status());
  auto state_dir = StateDir();
  if (!state_dir.ok()) return ReportError(kCommand, state_dir.status());
  // The store URI is checked before the run exists, so a typo creates no run.
  std::string store_base = options.checkpoint_dir.empty() ? *state_dir + "/store" : options.checkpoint_dir;
  checkpoint::StoreOptions store_options;
  store_options.s3_endpoint = options.s3_endpoint;
  if (auto probe = checkpoint::OpenCheckpointStore(store_base, store_options); !probe.ok()) {
    return ReportError(kCommand, probe.status().WithContext("--checkpoint-dir"));
  }

  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError(kCommand, target.status());
  ApiClient& client = (*target)->client();

  // The server must be reachable here: the command is not started otherwise. From here on the
  // server may go away; every write goes through the spool.
  auto opened = OpenRun(client, options);
  if (!opened.ok()) return ReportError(kCommand, opened.status());
  const auto& [run_id, experiment_id] = *opened;

  std::string run_dir = *state_dir + "/runs/" + run_id;
  auto checkpoint_dir = MakeDir(run_dir + "/checkpoints");
  auto store = checkpoint::OpenCheckpointStore(checkpoint::JoinStoreUri(store_base, run_id), store_options);
  auto spool = agent::EventSpool::Open(run_dir + "/spool");
  Status setup = !checkpoint_dir.ok() ? checkpoint_dir.status() : !store.ok() ? store.status() : spool.status();
  if (setup.ok()) setup = WriteSpoolTarget((*spool)->dir(), options.target);
  if (!setup.ok()) {
    EndRun(client, run_id, "FAILED");
    return ReportError(kCommand, setup);
  }

  std::string url = (*target)->url();
  ApiClient sender_client(url);
  agent::SpoolSender sender(**spool, [&](const agent::SpoolEvent& e) { return DeliverEvent(sender_client, e); });
  LeftoverDelivery leftovers(*state_dir, (*spool)->dir(), options.target, url);

  RunIdentity identity{run_id, experiment_id, url, *checkpoint_dir, run_dir + "/resume"};
  RunSupervisor supervisor(std::move(*supervisor_options), identity, **spool, [&] { sender.Notify(); }, **store);
  std::unique_ptr<agent::Sampler> sampler;
  bool first_attempt = true;
  auto next_step = std::make_shared<std::atomic<int64_t>>(0);
  supervisor.on_attempt_started = [&](pid_t pid) {
    sampler = StartRunSampler(**spool, [&] { sender.Notify(); }, run_id, pid, options.sample_interval, options.tags,
                              /*record_machine_tags=*/first_attempt, next_step);
    first_attempt = false;
  };
  supervisor.on_attempt_ended = [&] {
    if (sampler) sampler->Stop();  // the last partial window is spooled here
    sampler.reset();
  };
  SupervisorResult result = supervisor.Run();

  int64_t drain_ms = Millis(options.drain_timeout_s);
  bool delivered = sender.Drain(drain_ms);
  leftovers.Drain(drain_ms);
  sender.Stop();
  if (!delivered) {
    std::fprintf(stderr,
                 "mlcost run: the server at %s is unreachable; %zu updates of run %s are kept in %s and "
                 "delivered by `mlcost flush` or the next `mlcost run` here\n",
                 url.c_str(), (*spool)->PendingCount(), run_id.c_str(), (*spool)->dir().c_str());
  }
  if (!result.started) {
    ReportError(kCommand, result.start_error);
    std::fprintf(stderr, "mlcost run: run %s recorded as FAILED\n", run_id.c_str());
    return result.exit.ShellExitCode();
  }
  json run;
  if (delivered) {
    if (auto fetched = GetRun(client, run_id); fetched.ok()) run = fetched->item;
  }
  std::fprintf(stderr, "%s\n",
               RunSummaryLine(run_id, result.cause, result.exit, result.attempts, result.elapsed_ms, run).c_str());
  // A job the server ended as complete (ASHA's max_t) finished: 0, whatever SIGTERM made it return.
  return result.cause == agent::AttemptCause::kFinished ? 0 : result.exit.ShellExitCode();
}

}  // namespace

void AddRunCommand(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand(
      "run", "Run a command as a tracked run: its exit status, duration and cost are recorded");
  run->footer(
      "Put the command after `--`: mlcost run --experiment e -- python train.py --lr 0.1\n"
      "The command sees MLCOST_RUN_ID, MLCOST_TRACKING_URI, MLCOST_CHECKPOINT_DIR, MLCOST_RESUME_FROM,\n"
      "MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, MLFLOW_EXPERIMENT_ID, MLCOST_ATTEMPT and MLCOST_MAX_ATTEMPTS;\n"
      "{resume} in the arguments becomes the newest checkpoint's path (empty when there is none).\n"
      "mlcost run exits with the last attempt's exit code (128+N when signal N killed it; 127 when\n"
      "the command cannot be found).");
  AddTargetOptions(*run, options->target);
  CLI::Option* experiment = run->add_option(
      "-e,--experiment", options->experiment, "Experiment name (created if missing) or id; default: Default");
  CLI::Option* name = run->add_option("-n,--name", options->name, "Run name (default: generated)");
  run->add_option("--tag", options->tags, "Run tag KEY=VALUE (repeatable)")
      ->allow_extra_args(false)  // one value per --tag, so `--tag k=v -- CMD` leaves CMD alone
      ->check(CLI::Validator(
          [](std::string& text) {
            auto tag = ParseTagArgument(text);
            return tag.ok() ? std::string() : tag.status().message();
          },
          "KEY=VALUE"));
  run->add_option("--instance-type", options->instance_type,
                  "Instance type the run is priced at (tag mlcost.instance_type), e.g. p4d.24xlarge");
  run->add_option("--resume", options->resume, "Continue this existing run instead of creating one")
      ->excludes(experiment)
      ->excludes(name);
  run->add_option("--sample-interval", options->sample_interval,
                  "Seconds between samples of CPU, memory, I/O and GPUs (docs/run.md); 0 turns sampling off")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& text) {
            char* end = nullptr;
            double seconds = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0') return "'" + text + "' is not a number of seconds";
            Status s = ValidateSampleInterval(seconds);
            return s.ok() ? std::string() : s.message();
          },
          "SECONDS"));
  run->add_option("--max-restarts", options->max_restarts,
                  "Restart the command up to N times after a failure, crash or OOM kill (default 0)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--restart-backoff", options->restart_backoff_s,
                  "Seconds before the first restart; doubles per restart up to 60 (default 1)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--retry-on-exit", options->retry_exit_codes,
                  "Restart only after these exit codes (repeatable; default: any non-zero but 126/127)")
      ->allow_extra_args(false);
  run->add_option("--checkpoint-dir", options->checkpoint_dir,
                  "Checkpoint store: a path or s3://bucket/prefix (the run uses URI/<run_id>); "
                  "default ./.mlcost/store");
  run->add_option("--s3-endpoint", options->s3_endpoint, "S3-compatible endpoint URL for an s3:// store");
  run->add_option("--cloud", options->cloud, "Watch for spot preemption: auto, aws, gcp, azure or none")
      ->capture_default_str();
  run->add_option("--metadata-url", options->metadata_url, "Base URL of the cloud's instance metadata service")
      ->capture_default_str();
  run->add_option("--preemption-poll", options->preemption_poll_s, "Seconds between preemption checks")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  run->add_option("--preemption-grace", options->preemption_grace_s,
                  "Seconds the job gets after SIGTERM on a preemption notice before SIGKILL")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  run->add_option("--stop-grace", options->stop_grace_s,
                  "Seconds the job gets after a forwarded SIGINT/SIGTERM before SIGKILL")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  auto decimal = CLI::Validator(
      [](std::string& text) {
        auto d = Decimal::Parse(text);
        return d.ok() && !(*d < Decimal()) ? std::string() : "'" + text + "' is not a non-negative decimal number";
      },
      "DECIMAL");
  run->add_option("--budget", options->budget,
                  "Stop the run once it has spent this much (price currency), or cannot reach --target-steps within "
                  "it (tag mlcost.budget)")
      ->check(decimal);
  run->add_option("--budget-gpu-hours", options->budget_gpu_hours, "The same in GPU-hours (tag mlcost.budget_gpu_hours)")
      ->check(decimal);
  run->add_option("--target-steps", options->target_steps,
                  "The step the job means to reach, for the cost-to-finish projection (tag mlcost.target_steps)")
      ->check(CLI::PositiveNumber);
  run->add_option("--prune-poll", options->prune_poll_s,
                  "Seconds between asking the server whether to stop the run (early stopping, budgets); 0 = never")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  run->add_option("--drain-timeout", options->drain_timeout_s,
                  "Seconds to wait at the end for an unreachable server before leaving updates spooled")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  run->add_option("command", options->command, "The command and its arguments (after `--`)")->required();
  run->callback([options, &action] { action = [options] { return Run(*options); }; });
}

}  // namespace mlcost::cli
