// How a subcommand plugs into Main: while CLI11 parses argv, the chosen subcommand's callback
// stores what to run in a CommandAction; Main runs it after parsing succeeded, so a usage error
// (exit 2) never half-runs a command.
#ifndef MLCOST_CLI_COMMAND_H_
#define MLCOST_CLI_COMMAND_H_

#include <functional>

namespace mlcost::cli {

// Runs the parsed command and returns its exit status (cli/exit_code.h).
using CommandAction = std::function<int()>;

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_COMMAND_H_
