// `mlcost demo`: serve a data directory (default ./mlcost-data), seed it with sample experiments
// and runs the first time, print copy-pasteable examples, and run until SIGINT/SIGTERM.
#ifndef MLCOST_CLI_DEMO_COMMAND_H_
#define MLCOST_CLI_DEMO_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

#include "cli/command.h"
#include "cli/demo_seed.h"

namespace mlcost::cli {

// Adds the demo subcommand; on a successful parse sets `action`, which must outlive parsing.
// `program` is how the user ran mlcost (argv[0]), used in the printed examples.
void AddDemoCommand(CLI::App& app, CommandAction& action, const std::string& program);

// The text printed once the demo server is up and seeded: URL, what was seeded, and commands to
// try (MLFLOW_TRACKING_URI, curl, `<program> runs list/show`).
std::string DemoBanner(const std::string& url, const std::string& data_dir, const std::string& program,
                       const DemoSeedResult& seed);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_DEMO_COMMAND_H_
