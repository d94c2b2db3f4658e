// `mlcost runs list` and `mlcost runs show RUN_ID`: runs with their live cost, as a table or
// JSON.
#ifndef MLCOST_CLI_RUNS_COMMAND_H_
#define MLCOST_CLI_RUNS_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

// Adds `runs` (with `list` and `show`) to `app`; on a successful parse sets `action`, which
// must outlive parsing.
void AddRunsCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUNS_COMMAND_H_
