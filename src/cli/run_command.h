// `mlcost run [--experiment E] [--name N] [--tag k=v ...] [--instance-type T] [--resume RUN_ID]
// -- CMD ARGS`: records CMD as a run on the server, runs it under supervision (agent/), and ends
// the run FINISHED or FAILED with the command's exit status. Exits with the command's exit code.
#ifndef MLCOST_CLI_RUN_COMMAND_H_
#define MLCOST_CLI_RUN_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

void AddRunCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_RUN_COMMAND_H_
