// `mlcost quota set|list|show|delete|audit`: budgets and quotas per user, team, project and the
// organisation (/api/v1/quotas; docs/quotas.md).
#ifndef MLCOST_CLI_QUOTA_COMMAND_H_
#define MLCOST_CLI_QUOTA_COMMAND_H_

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"

namespace mlcost::cli {

// The flags of `mlcost quota set`, as given.
struct QuotaSetFlags {
  std::string scope;
  std::string name;
  std::string period;
  std::string limit;
  std::string unit;
  std::string currency;
  std::vector<std::string> actions;
  std::string webhook;
  std::vector<std::string> thresholds;
  bool forecast_alert = false;
};

// The POST/PUT body the flags describe: only the fields given (the server applies its defaults
// and names any bad value); limit and thresholds stay strings so no float rounds them.
nlohmann::json QuotaSetBody(const QuotaSetFlags& flags);

void AddQuotaCommand(CLI::App& app, CommandAction& action);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_QUOTA_COMMAND_H_
