// `mlcost cache run|gc|push|pull|ls|verify`: the stage cache (docs/cache.md) from the command
// line. Needs no mlcost server: it reads and writes the cache directory (--cache-dir, else
// $MLCOST_CACHE_DIR, else ~/.cache/mlcost) and, for push/pull, S3.
#ifndef MLCOST_CLI_CACHE_COMMAND_H_
#define MLCOST_CLI_CACHE_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

void AddCacheCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_CACHE_COMMAND_H_
