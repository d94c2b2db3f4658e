#include "cli/serve_command.h"

#include <cstdio>
#include <memory>

#include "cli/exit_code.h"
#include "cli/stop_signals.h"
#include "common/clock.h"
#include "quota/interval.h"

namespace mlcost::cli {

void AddServeCommand(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<server::ServerOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Run the mlcost server (tracking, MLflow API, costs)");
  serve->add_option("--data-dir", options->data_dir, "Data directory (DuckDB file, artifacts)")
      ->capture_default_str();
  serve->add_option("--host", options->host, "Address to bind")->capture_default_str();
  serve->add_option("--port", options->port, "TCP port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--catalog", options->catalog_files, "SkyPilot-format vms.csv price catalog file(s)")
      ->check(CLI::ExistingFile);
  serve->add_option("--threads", options->threads, "HTTP worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve->add_option("--db-threads", options->db_threads, "DuckDB threads (0 = half the cores, at least 1)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  serve->add_option("--export-dir", options->export_dir,
                    "Root folder of saved-query exports (default DATA_DIR/exports)");
  serve->add_option_function<double>(
           "--sql-timeout", [options](double s) { options->sql_timeout_ms = static_cast<int64_t>(s * 1000); },
           "Time limit of one SQL console statement, in seconds (default 30)")
      ->check(CLI::Range(0.001, 86400.0));
  serve->add_option("--sql-max-rows", options->sql_max_rows, "Rows one SQL console answer returns at most")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  serve->add_option_function<std::string>(
      "--quota-interval",
      [options](const std::string& text) {
        Result<int64_t> ms = quota::ParseIntervalMs(text);  // checked by the validator below
        options->quota_interval_ms = ms.ok() ? *ms : 0;
      },
      "How often quota alerts are evaluated: 60s (default), 2m, 500ms; 0 = only when runs are created")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            Result<int64_t> ms = quota::ParseIntervalMs(text);
            return ms.ok() ? std::string() : ms.status().message();
          },
          "DURATION"));
  serve->add_flag("--access-log", options->access_log, "Log every request to stderr");
  serve->callback([options, &action] { action = [options] { return RunServe(*options); }; });
}

int RunServe(const server::ServerOptions& options) {
  if (options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1") {
    std::fprintf(stderr,
                 "mlcost serve: refusing to bind %s: only loopback is served until API tokens exist "
                 "(DESIGN.md, security defaults)\n",
                 options.host.c_str());
    return kExitUsage;
  }
  BlockStopSignals();
  auto server = server::Server::Start(options, SystemClock::Get());
  if (!server.ok()) {
    std::fprintf(stderr, "mlcost serve: %s\n", server.status().message().c_str());
    return kExitFailure;
  }
  server::Server* running = server->get();
  OnStopSignal([running] { running->Stop(); });
  std::printf("mlcost listening on %s (data dir %s)\n", (*server)->url().c_str(), options.data_dir.c_str());
  std::fflush(stdout);
  (*server)->Wait();
  return kExitOk;
}

}  // namespace mlcost::cli
