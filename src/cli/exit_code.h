// The one place where a Status becomes a process exit status and a message on stderr.
#ifndef MLCOST_CLI_EXIT_CODE_H_
#define MLCOST_CLI_EXIT_CODE_H_

#include <string_view>

#include "mlcost/status.h"

namespace mlcost::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// 0 for OK; 2 (usage) for InvalidArgument, which the server also answers for a bad --filter or
// --order-by; 1 for everything else (unreachable server, not found, conflicts, server errors).
int ExitCodeFor(const Status& status);

// Prints "mlcost <command>: <message>" to stderr and returns ExitCodeFor(status).
int ReportError(std::string_view command, const Status& status);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_EXIT_CODE_H_
