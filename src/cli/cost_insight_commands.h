// `mlcost anomalies` and `mlcost forecast`: GET /api/v1/anomalies and /api/v1/forecast of a server
// or data directory, as a table or the server's JSON (docs/anomalies.md).
#ifndef MLCOST_CLI_COST_INSIGHT_COMMANDS_H_
#define MLCOST_CLI_COST_INSIGHT_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"

namespace mlcost::cli {

// Add the commands to `app`; on a successful parse set `action`, which must outlive parsing.
void AddAnomaliesCommand(CLI::App& app, CommandAction& action);
void AddForecastCommand(CLI::App& app, CommandAction& action);

// The tables the commands print for an /api/v1 answer (exposed for tests). Money is shown
// rounded to cents; --json prints the exact strings.
std::string AnomalyTable(const nlohmann::json& anomalies);
std::string ForecastTable(const nlohmann::json& report);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_COST_INSIGHT_COMMANDS_H_
