#include "cli/runs_command.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/gpu_profile_format.h"
#include "cli/run_format.h"
#include "cli/target.h"
#include "common/clock.h"

namespace mlcost::cli {
namespace {

struct ListOptions {
  TargetOptions target;
  std::vector<std::string> experiments;  // ids or names; empty = every active experiment
  RunQuery query;
  bool json = false;
};

struct ShowOptions {
  TargetOptions target;
  std::string run_id;
  bool json = false;
};

int RunList(ListOptions options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("runs list", target.status());
  ApiClient& client = (*target)->client();
  if (options.experiments.empty()) {
    auto ids = AllExperimentIds(client, "active");
    if (!ids.ok()) return ReportError("runs list", ids.status());
    options.query.experiment_ids = std::move(*ids);
  } else {
    for (const std::string& experiment : options.experiments) {
      auto id = ResolveExperimentId(client, experiment);
      if (!id.ok()) return ReportError("runs list", id.status());
      options.query.experiment_ids.push_back(std::move(*id));
    }
  }
  auto listing = ListRuns(client, options.query);
  if (!listing.ok()) return ReportError("runs list", listing.status());
  if (options.json) {
    std::printf("%s\n", listing->raw.dump(2).c_str());
    return kExitOk;
  }
  std::fputs(RunTable(listing->items, SystemClock::Get().Now()).c_str(), stdout);
  if (!listing->next_page_token.empty()) {
    std::fprintf(stderr, "more runs: pass --page-token %s (or a larger --max-results)\n",
                 listing->next_page_token.c_str());
  }
  return kExitOk;
}

int RunShow(const ShowOptions& options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("runs show", target.status());
  auto run = GetRun((*target)->client(), options.run_id);
  if (!run.ok()) return ReportError("runs show", run.status());
  // An older server without the route: the page without its GPU profile.
  auto profile = (*target)->client().Get("/api/v1/runs/" + options.run_id + "/gpu-profile");
  if (!profile.ok() && !IsMissingEndpoint(profile.status())) return ReportError("runs show", profile.status());
  if (options.json) {
    if (profile.ok() && run->raw.is_object()) run->raw["gpu_profile"] = *profile;
    std::printf("%s\n", run->raw.dump(2).c_str());
  } else {
    std::fputs(RunDetails(run->item, SystemClock::Get().Now()).c_str(), stdout);
    if (profile.ok()) std::fputs(GpuProfileText(*profile).c_str(), stdout);
  }
  return kExitOk;
}

struct StopOptions {
  TargetOptions target;
  std::string run_id;
  std::string reason = "stop requested";
};

int RunStop(const StopOptions& options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("runs stop", target.status());
  auto answer = (*target)->client().Post("/api/v1/runs/" + options.run_id + "/stop", {{"reason", options.reason}});
  if (!answer.ok()) return ReportError("runs stop", answer.status());
  std::printf("asked run %s to stop (%s); its `mlcost run` stops the job at its next poll\n",
              options.run_id.c_str(), options.reason.c_str());
  return kExitOk;
}

void AddStop(CLI::App& runs, CommandAction& action) {
  auto options = std::make_shared<StopOptions>();
  CLI::App* stop =
      runs.add_subcommand("stop", "Ask a RUNNING run to stop: its `mlcost run` ends the job (recorded as pruned)");
  stop->add_option("run_id", options->run_id, "The run's id")->required();
  stop->add_option("--reason", options->reason, "Why (shown in the run's tags and by mlcost run)")
      ->capture_default_str();
  AddTargetOptions(*stop, options->target);
  stop->callback([options, &action] { action = [options] { return RunStop(*options); }; });
}

void AddList(CLI::App& runs, CommandAction& action) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* list = runs.add_subcommand("list", "List runs with their status, duration and cost so far");
  AddTargetOptions(*list, options->target);
  list->add_option("-e,--experiment", options->experiments,
                   "Experiment id or name (repeatable; default: every active experiment)");
  list->add_option("--filter", options->query.filter,
                   "MLflow search filter, e.g. \"metrics.loss < 0.5 and params.lr = '0.01'\"");
  list->add_option("--order-by", options->query.order_by,
                   "Sort key (repeatable), e.g. \"metrics.loss ASC\" or \"attributes.start_time DESC\"");
  list->add_option("--view", options->query.view, "Which runs: active, deleted or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"active", "deleted", "all"}));
  list->add_option("--max-results", options->query.max_results, "Runs per page")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{50000}));
  list->add_option("--page-token", options->query.page_token, "Continue from a previous page");
  list->add_flag("--json", options->json, "Print the server's JSON instead of a table");
  list->callback([options, &action] { action = [options] { return RunList(*options); }; });
}

void AddShow(CLI::App& runs, CommandAction& action) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* show = runs.add_subcommand("show", "Show one run: params, metrics, tags, attempts and live cost");
  show->add_option("run_id", options->run_id, "The run's id")
      ->required()
      ->check(CLI::Validator(
          [](std::string& id) {
            bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
              return std::isalnum(c) || c == '-' || c == '_';
            });
            return ok ? std::string() : "'" + id + "' is not a run id (letters, digits, '-' and '_')";
          },
          "RUN_ID"));
  AddTargetOptions(*show, options->target);
  show->add_flag("--json", options->json, "Print the server's JSON");
  show->callback([options, &action] { action = [options] { return RunShow(*options); }; });
}

}  // namespace

void AddRunsCommand(CLI::App& app, CommandAction& action) {
  CLI::App* runs = app.add_subcommand("runs", "List and inspect training runs and what they cost");
  runs->require_subcommand(1);
  AddList(*runs, action);
  AddShow(*runs, action);
  AddStop(*runs, action);
}

}  // namespace mlcost::cli
