#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/cache_command.h"
#include "cli/checkpoint_command.h"
#include "cli/command.h"
#include "cli/cost_insight_commands.h"
#include "cli/costs_command.h"
#include "cli/datacache_command.h"
#include "cli/demo_command.h"
#include "cli/exit_code.h"
#include "cli/experiments_command.h"
#include "cli/ingest_command.h"
#include "cli/flush_command.h"
#include "cli/pruner_command.h"
#include "cli/quota_command.h"
#include "cli/run_command.h"
#include "cli/runs_command.h"
#include "cli/serve_command.h"
#include "cli/sql_command.h"

#ifndef MLCOST_VERSION
#error "MLCOST_VERSION must be defined by the build (src/cli/CMakeLists.txt)"
#endif

namespace mlcost::cli {

int Main(int argc, char** argv) {
  CLI::App app{"mlcost: the cost of machine-learning work, visible and controllable", "mlcost"};
  app.set_version_flag("--version", MLCOST_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Client commands talk to `mlcost serve` at --server URL (default http://127.0.0.1:8080), or open\n"
      "--data-dir DIR themselves when no server holds it. Exit status: 0 ok, 1 failure, 2 usage.");

  CommandAction action;
  AddServeCommand(app, action);
  AddDemoCommand(app, action, argc > 0 ? argv[0] : "mlcost");
  AddExperimentsCommand(app, action);
  AddRunsCommand(app, action);
  AddRunCommand(app, action);
  AddFlushCommand(app, action);
  AddPrunerCommand(app, action);
  AddQuotaCommand(app, action);
  AddCostExplorerCommands(app, action);
  AddIngestCommand(app, action);
  AddAnomaliesCommand(app, action);
  AddForecastCommand(app, action);
  AddSqlCommands(app, action);
  AddCheckpointCommand(app, action);
  AddDataCacheCommand(app, action);
  AddCacheCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!action) return kExitUsage;
  return action();
}

}  // namespace mlcost::cli
