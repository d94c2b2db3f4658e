// `mlcost flush [--server URL | --data-dir DIR] [--state-dir .mlcost]`: delivers the updates that
// `mlcost run` kept in its spools (./.mlcost/runs/*/spool) because the server was unreachable,
// each to the server its run was started against (recorded in the spool), or all to the one
// named by --server / --data-dir. Exit 0 when everything was delivered, 1 when some could not be.
#ifndef MLCOST_CLI_FLUSH_COMMAND_H_
#define MLCOST_CLI_FLUSH_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

void AddFlushCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_FLUSH_COMMAND_H_
