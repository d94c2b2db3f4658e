// `mlcost checkpoint save|list|latest|verify|gc --store URI`: the checkpoint store
// (docs/checkpoints.md) from the command line. Needs no mlcost server: it reads and writes the
// store (a directory or s3://BUCKET/PREFIX) itself.
#ifndef MLCOST_CLI_CHECKPOINT_COMMAND_H_
#define MLCOST_CLI_CHECKPOINT_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

void AddCheckpointCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_CHECKPOINT_COMMAND_H_
