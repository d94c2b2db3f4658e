#include "cli/flush_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/exit_code.h"
#include "cli/spool_dirs.h"
#include "cli/target.h"

namespace mlcost::cli {
namespace {

constexpr char kCommand[] = "flush";

struct FlushOptions {
  TargetOptions target;
  bool explicit_target = false;  // --server or --data-dir given: everything goes there
  std::string state_dir = ".mlcost";
};

int Flush(const FlushOptions& options) {
  std::vector<std::string> dirs = PendingSpoolDirs(options.state_dir);
  if (dirs.empty()) {
    std::printf("nothing to deliver in %s\n", options.state_dir.c_str());
    return kExitOk;
  }
  int exit_code = kExitOk;
  for (const std::string& dir : dirs) {
    // Each spool goes to the server its run lives on, unless the user names one.
    std::optional<TargetOptions> recorded = ReadSpoolTarget(dir);
    TargetOptions where = options.explicit_target || !recorded ? options.target : *recorded;
    auto target = Target::Open(where);
    if (!target.ok()) {
      exit_code = ReportError(kCommand, target.status().WithContext(dir));
      continue;
    }
    Result<FlushReport> report = FlushSpool((*target)->client(), dir);
    if (!report.ok() && report.status().code() == StatusCode::kConflict) {
      std::printf("%s: skipped, its mlcost run is still running and delivers it\n", dir.c_str());
      continue;
    }
    if (!report.ok()) {
      exit_code = ReportError(kCommand, report.status());
      continue;
    }
    std::printf("%s: delivered %lld, rejected %lld, left %lld\n", dir.c_str(),
                static_cast<long long>(report->delivered), static_cast<long long>(report->rejected),
                static_cast<long long>(report->left));
    if (report->left > 0) {
      std::fprintf(stderr, "mlcost flush: %s: %s\n", dir.c_str(), report->last_error.c_str());
      exit_code = kExitFailure;
    }
  }
  return exit_code;
}

}  // namespace

void AddFlushCommand(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<FlushOptions>();
  CLI::App* flush = app.add_subcommand(
      "flush", "Deliver the run updates `mlcost run` spooled while the server was unreachable");
  AddTargetOptions(*flush, options->target);
  flush->add_option("--state-dir", options->state_dir, "The directory `mlcost run` keeps its state in")
      ->capture_default_str();
  flush->callback([options, flush, &action] {
    options->explicit_target = flush->count("--server") > 0 || flush->count("--data-dir") > 0;
    action = [options] { return Flush(*options); };
  });
}

}  // namespace mlcost::cli
