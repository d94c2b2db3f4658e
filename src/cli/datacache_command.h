// `mlcost datacache serve --upstream URL --dir DIR --max-size SIZE [--port N] [--ttl SECONDS]
// [--min-free SIZE]`: the local S3 read-through cache (docs/datacache.md). Needs no mlcost
// server; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (clients sign with
// the same pair).
#ifndef MLCOST_CLI_DATACACHE_COMMAND_H_
#define MLCOST_CLI_DATACACHE_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

// Adds `datacache serve`. Serving prints "mlcost datacache listening on URL (...)" as the
// first line of stdout and runs until SIGINT/SIGTERM (exit 0); exit 1 when it cannot start
// (directory in use, port taken, credentials missing), 2 on bad arguments (sizes, URL).
void AddDataCacheCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_DATACACHE_COMMAND_H_
