#include "cli/demo_command.h"

#include <cstdio>
#include <memory>

#include "cli/api_client.h"
#include "cli/demo_bill.h"
#include "cli/exit_code.h"
#include "cli/serve_command.h"
#include "cli/stop_signals.h"
#include "cli/target.h"
#include "common/clock.h"
#include "server/server.h"

namespace mlcost::cli {
namespace {

// Starts the server; on failure the Status carries a hint on what to do next.
Result<std::unique_ptr<server::Server>> StartServer(const server::ServerOptions& options) {
  auto server = server::Server::Start(options, SystemClock::Get());
  if (server.ok()) return server;
  Status status = server.status();
  std::string hint = status.code() == StatusCode::kUnavailable
                         ? "\nhint: pick another port with --port N (0 = any free port)"
                         : DataDirConflictHint(status);
  return Status(status.code(), status.message() + hint);
}

int RunDemo(const server::ServerOptions& options, const std::string& program) {
  BlockStopSignals();
  auto server = StartServer(options);
  if (!server.ok()) {
    std::fprintf(stderr, "mlcost demo: %s\n", server.status().message().c_str());
    return kExitFailure;
  }
  std::printf("mlcost listening on %s (data dir %s)\n", (*server)->url().c_str(), options.data_dir.c_str());
  std::fflush(stdout);

  Result<DemoSeedResult> seed = [&] {
    ApiClient client((*server)->url());
    return SeedDemo(client, SystemClock::Get().Now() / kMicrosPerMilli);
  }();
  if (!seed.ok()) return ReportError("demo", seed.status().WithContext("seeding the demo data"));
  if (seed->seeded) {
    // A sample bill, so the cost views have data: ingested like any export.
    Result<std::string> bill = WriteDemoBill(options.data_dir + "/demo", SystemClock::Get().Now() / kMicrosPerMilli);
    Status ingested = bill.status();
    if (bill.ok()) {
      ApiClient client((*server)->url());
      ingested = client.Post("/api/v1/ingests", {{"paths", {*bill}}}).status();
    }
    if (!ingested.ok()) seed->warnings.push_back("sample bill not ingested: " + std::string(ingested.message()));
  }
  for (const std::string& warning : seed->warnings) {
    std::fprintf(stderr, "mlcost demo: warning: %s\n", warning.c_str());
  }

  std::fputs(DemoBanner((*server)->url(), options.data_dir, program, *seed).c_str(), stdout);
  std::fflush(stdout);
  server::Server* running = server->get();
  OnStopSignal([running] { running->Stop(); });
  (*server)->Wait();
  std::printf("mlcost demo: stopped\n");
  return kExitOk;
}

}  // namespace

std::string DemoBanner(const std::string& url, const std::string& data_dir, const std::string& program,
                       const DemoSeedResult& seed) {
  std::string out;
  if (seed.seeded) {
    out += "seeded " + std::to_string(seed.experiments) + " demo experiments with " +
           std::to_string(seed.runs) + " runs into " + data_dir + "\n";
  } else {
    out += "found " + std::to_string(seed.experiments) + " demo experiments in " + data_dir +
           "; not seeding again (delete the directory to start over)\n";
  }
  std::string run = seed.example_run_id.empty() ? "RUN_ID" : seed.example_run_id;
  out += "\nmlcost demo is running at " + url + "\n";
  out += "Try it from another terminal:\n\n";
  out += "  export MLFLOW_TRACKING_URI=" + url + "\n";
  out += "  curl -s '" + url + "/api/2.0/mlflow/experiments/search?max_results=10'\n";
  if (seed.has_v1) out += "  curl -s " + url + "/api/v1/runs/" + run + "\n";
  out += "  " + program + " experiments list --server " + url + "\n";
  out += "  " + program + " runs list --server " + url + "\n";
  out += "  " + program + " runs show " + run + " --server " + url + "\n";
  out += "  " + program + " costs --group-by team --granularity month --server " + url + "\n";
  out += "  " + program + " leaderboard costs --by team --window 30d --server " + url + "\n";
  out += "  " + program + " anomalies --scope service_name --server " + url + "\n";
  out += "  " + program + " ingest path/to/your/bills/ --server " + url + "\n";
  out += "\nPress Ctrl-C to stop.\n";
  return out;
}

void AddDemoCommand(CLI::App& app, CommandAction& action, const std::string& program) {
  auto options = std::make_shared<server::ServerOptions>();
  options->holder = "mlcost demo";
  CLI::App* demo =
      app.add_subcommand("demo", "Run a server with sample experiments and runs, and show how to use it");
  demo->add_option("--data-dir", options->data_dir, "Data directory (created and seeded if new)")
      ->capture_default_str();
  demo->add_option("--port", options->port, "TCP port on 127.0.0.1 (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  demo->add_option("--catalog", options->catalog_files, "SkyPilot-format vms.csv price catalog file(s)")
      ->check(CLI::ExistingFile);
  demo->callback(
      [options, &action, program] { action = [options, program] { return RunDemo(*options, program); }; });
}

}  // namespace mlcost::cli
