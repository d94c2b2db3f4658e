// `mlcost costs`, `mlcost allocation rules list|add|rm|move` and `mlcost leaderboard costs|runs`:
// the cost explorer, allocation rules and leaderboards through the API client (docs/costs.md).
#ifndef MLCOST_CLI_COSTS_COMMAND_H_
#define MLCOST_CLI_COSTS_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

// Adds `costs`, `allocation` and `leaderboard` to `app`; on a successful parse sets `action`,
// which must outlive parsing.
void AddCostExplorerCommands(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_COSTS_COMMAND_H_
