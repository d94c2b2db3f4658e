#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/serve_command.h"

namespace mlcost::cli {

int Main(int argc, char** argv) {
  CLI::App app{"mlcost: the cost of machine-learning work, visible and controllable"};
  app.require_subcommand(1);
  server::ServerOptions serve_options;
  CLI::App* serve = AddServeCommand(app, serve_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (serve->parsed()) return RunServe(serve_options);
  return 2;
}

}  // namespace mlcost::cli
