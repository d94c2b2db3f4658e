// The mlcost command line: subcommands over the library. Exit status 0 on success, 1 on failure,
// 2 on a usage error.
#ifndef MLCOST_CLI_CLI_H_
#define MLCOST_CLI_CLI_H_

namespace mlcost::cli {

int Main(int argc, char** argv);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_CLI_H_
