// The mlcost command line: subcommands over the library. Exit status 0 on success, 1 on failure,
// 2 on a usage error (cli/exit_code.h).
#ifndef MLCOST_CLI_CLI_H_
#define MLCOST_CLI_CLI_H_

namespace mlcost::cli {

// Parses argv, runs the chosen subcommand and returns the process exit status. `--help` and
// `--version` print to stdout and return 0; a parse error prints CLI11's message to stderr and
// returns 2.
int Main(int argc, char** argv);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_CLI_H_
