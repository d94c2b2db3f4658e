// `mlcost experiments list`: the experiments of a server or data directory, as a table or JSON.
#ifndef MLCOST_CLI_EXPERIMENTS_COMMAND_H_
#define MLCOST_CLI_EXPERIMENTS_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

// Adds `experiments` (with `list`) to `app`; on a successful parse sets `action`, which must
// outlive parsing.
void AddExperimentsCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_EXPERIMENTS_COMMAND_H_
