// `mlcost sql [--json|--csv] "QUERY"` (the read-only SQL console, docs/sql.md) and
// `mlcost queries list|add|run|rm` (saved queries exported on a schedule).
#ifndef MLCOST_CLI_SQL_COMMAND_H_
#define MLCOST_CLI_SQL_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

// Adds `sql` and `queries` to `app`; on a successful parse sets `action`, which must outlive
// parsing.
void AddSqlCommands(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_SQL_COMMAND_H_
