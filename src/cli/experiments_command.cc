#include "cli/experiments_command.h"

#include <cstdio>
#include <memory>

#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/run_format.h"
#include "cli/target.h"

namespace mlcost::cli {
namespace {

struct ListOptions {
  TargetOptions target;
  ExperimentQuery query;
  bool json = false;
};

int RunList(const ListOptions& options) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("experiments list", target.status());
  auto listing = ListExperiments((*target)->client(), options.query);
  if (!listing.ok()) return ReportError("experiments list", listing.status());
  if (options.json) {
    std::printf("%s\n", listing->raw.dump(2).c_str());
    return kExitOk;
  }
  std::fputs(ExperimentTable(listing->items).c_str(), stdout);
  if (!listing->next_page_token.empty()) {
    std::fprintf(stderr, "more experiments: pass --page-token %s\n", listing->next_page_token.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddExperimentsCommand(CLI::App& app, CommandAction& action) {
  CLI::App* experiments =
      app.add_subcommand("experiments", "List the experiments of a server or data directory");
  experiments->require_subcommand(1);

  auto options = std::make_shared<ListOptions>();
  CLI::App* list = experiments->add_subcommand("list", "List experiments (a table, or the server's JSON)");
  AddTargetOptions(*list, options->target);
  list->add_option("--view", options->query.view, "Which experiments: active, deleted or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"active", "deleted", "all"}));
  list->add_option("--filter", options->query.filter, "MLflow search filter, e.g. \"name LIKE 'demo-%'\"");
  list->add_option("--max-results", options->query.max_results, "Experiments per page")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{50000}));
  list->add_option("--page-token", options->query.page_token, "Continue from a previous page");
  list->add_flag("--json", options->json, "Print the server's JSON instead of a table");
  list->callback([options, &action] { action = [options] { return RunList(*options); }; });
}

}  // namespace mlcost::cli
