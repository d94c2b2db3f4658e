// `mlcost ingest PATH... [--provider P] [--json]`: loads billing exports into the cost table through
// POST /api/v1/ingests and prints the per-file report; `mlcost mapping PROVIDER` prints a provider's
// mapping table (no server needed).
#ifndef MLCOST_CLI_INGEST_COMMAND_H_
#define MLCOST_CLI_INGEST_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace mlcost::cli {

void AddIngestCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_INGEST_COMMAND_H_
