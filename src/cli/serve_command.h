// `mlcost serve`: run the server in the foreground until SIGINT/SIGTERM.
#ifndef MLCOST_CLI_SERVE_COMMAND_H_
#define MLCOST_CLI_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "server/server.h"

namespace mlcost::cli {

// Adds the serve subcommand; on a successful parse sets `action`, which must outlive parsing.
void AddServeCommand(CLI::App& app, CommandAction& action);

// Starts the server, prints "mlcost listening on URL (data dir DIR)" as the first line of stdout
// and blocks until SIGINT/SIGTERM. Returns 0 after a signal, 1 when the server cannot start
// (data directory held by another process, port taken, bad catalog), 2 for a non-loopback host.
int RunServe(const server::ServerOptions& options);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_SERVE_COMMAND_H_
