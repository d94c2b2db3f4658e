#include "cli/run_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "agent/child_process.h"
#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/run_sampling.h"
#include "cli/run_setup.h"
#include "cli/target.h"
#include "common/clock.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr char kCommand[] = "run";
constexpr char kMlflow[] = "/api/2.0/mlflow";
// The shell's exit codes for a command that cannot be run.
constexpr int kExitNotFound = 127;
constexpr int kExitCannotExecute = 126;

struct RunOptions {
  TargetOptions target;
  std::string experiment;
  std::string name;
  std::vector<std::string> tags;
  std::string instance_type;
  std::string resume;
  double sample_interval = 1.0;  // seconds; 0 = no sampling
  std::vector<std::string> command;
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

// Records how the command ended as the run's tags mlcost.exit_code ("3", "137") and
// mlcost.exit_status ("exit 3", "killed by SIGKILL (signal 9)"). A failure is a warning.
void TagExit(ApiClient& client, const std::string& run_id, const agent::ExitInfo& exit) {
  json tags = json::array({{{"key", "mlcost.exit_code"}, {"value", std::to_string(exit.ShellExitCode())}},
                           {{"key", "mlcost.exit_status"}, {"value", exit.Describe()}}});
  Result<json> logged =
      client.Post(std::string(kMlflow) + "/runs/log-batch", {{"run_id", run_id}, {"tags", std::move(tags)}});
  if (!logged.ok()) {
    std::fprintf(stderr, "mlcost run: warning: could not record the exit status of run %s: %s\n",
                 run_id.c_str(), logged.status().message().c_str());
  }
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

// `.mlcost/checkpoints/<run_id>` under the current directory, created, as an absolute path.
Result<std::string> MakeCheckpointDir(const std::string& run_id) {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::current_path(error) / ".mlcost" / "checkpoints" / run_id;
  if (!error) std::filesystem::create_directories(dir, error);
  if (error) return Internal("cannot create checkpoint directory " + dir.string() + ": " + error.message());
  return dir.string();
}

int Run(const RunOptions& options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError(kCommand, target.status());
  ApiClient& client = (*target)->client();

  // The server must be reachable here: the command is not started otherwise.
  auto opened = OpenRun(client, options);
  if (!opened.ok()) return ReportError(kCommand, opened.status());
  const auto& [run_id, experiment_id] = *opened;

  auto checkpoint_dir = MakeCheckpointDir(run_id);
  if (!checkpoint_dir.ok()) {
    EndRun(client, run_id, "FAILED");
    return ReportError(kCommand, checkpoint_dir.status());
  }
  RunContext context{run_id, experiment_id, (*target)->url(), *checkpoint_dir, ""};
  agent::ChildSpec spec{options.command, ChildEnvironment(context)};

  auto started_at = std::chrono::steady_clock::now();
  auto child = agent::ChildProcess::Start(spec);
  if (!child.ok()) {
    EndRun(client, run_id, "FAILED");
    ReportError(kCommand, child.status());
    std::fprintf(stderr, "mlcost run: run %s recorded as FAILED\n", run_id.c_str());
    return child.status().code() == StatusCode::kNotFound ? kExitNotFound : kExitCannotExecute;
  }
  auto sampler = StartRunSampler(client, (*target)->url(), run_id, child->pid(), options.sample_interval, options.tags);
  agent::ExitInfo exit = child->Wait();
  if (sampler) sampler->Stop();  // the last partial window is posted here
  int64_t elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started_at)
                           .count();

  TagExit(client, run_id, exit);
  EndRun(client, run_id, FinalRunStatus(exit));
  auto run = GetRun(client, run_id);
  std::fprintf(stderr, "%s\n", RunSummaryLine(run_id, exit, elapsed_ms, run.ok() ? run->item : json()).c_str());
  return exit.ShellExitCode();
}

}  // namespace

void AddRunCommand(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand(
      "run", "Run a command as a tracked run: its exit status, duration and cost are recorded");
  run->footer(
      "Put the command after `--`: mlcost run --experiment e -- python train.py --lr 0.1\n"
      "The command sees MLCOST_RUN_ID, MLCOST_TRACKING_URI, MLCOST_CHECKPOINT_DIR, MLCOST_RESUME_FROM,\n"
      "MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID. mlcost run exits with the command's\n"
      "exit code (128+N when signal N killed it; 127 when it cannot be found).");
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
  run->add_option("command", options->command, "The command and its arguments (after `--`)")->required();
  run->callback([options, &action] { action = [options] { return Run(*options); }; });
}

}  // namespace mlcost::cli
