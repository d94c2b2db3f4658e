// Runs a stage's command: argv directly (no shell), inheriting the environment, the working
// directory and stdin/stderr. Its stdout goes to our stdout, or to our stderr when the caller
// prints machine-readable output on stdout (--json).
#ifndef MLCOST_STAGECACHE_COMMAND_RUNNER_H_
#define MLCOST_STAGECACHE_COMMAND_RUNNER_H_

#include <string>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::stagecache {

// The command's exit status: its exit code, or 128 + the signal that killed it. While it runs,
// SIGTERM and SIGHUP sent to this process are forwarded to it and SIGINT / SIGQUIT are ignored
// here (the terminal delivers them to the command itself), as system() does. A command that was
// forwarded signal N and still exits 0 reports 128 + N: it was stopped, not finished. NotFound when
// argv[0] cannot be found or executed ("cannot run 'x': ..."); InvalidArgument for an empty argv.
Result<int> RunCommand(const std::vector<std::string>& argv, bool stdout_to_stderr);

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_COMMAND_RUNNER_H_
