#include "cli/exit_code.h"

#include <cstdio>
#include <string>

namespace mlcost::cli {

int ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  if (status.code() == StatusCode::kInvalidArgument) return kExitUsage;
  return kExitFailure;
}

int ReportError(std::string_view command, const Status& status) {
  std::fprintf(stderr, "mlcost %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return ExitCodeFor(status);
}

}  // namespace mlcost::cli
