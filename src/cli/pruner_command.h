// `mlcost pruner set|show|clear EXPERIMENT`: an experiment's early-stopping pruner
// (PUT/GET/DELETE /api/v1/experiments/{id}/pruner; docs/pruning.md).
#ifndef MLCOST_CLI_PRUNER_COMMAND_H_
#define MLCOST_CLI_PRUNER_COMMAND_H_

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// "n_startup_trials=5" -> {"n_startup_trials": 5}: each value is read as JSON when it parses
// (numbers, true/false, null, "auto" quoted or not), else as a string. InvalidArgument naming a
// PARAM without '=' or with an empty name.
Result<nlohmann::json> ParsePrunerParams(const std::vector<std::string>& params);

void AddPrunerCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_PRUNER_COMMAND_H_
