#include "cli/ingest_command.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "billing/mapping_doc.h"
#include "billing/source_format.h"
#include "cli/exit_code.h"
#include "cli/target.h"
#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

struct IngestOptions {
  TargetOptions target;
  std::vector<std::string> paths;
  std::string provider = "auto";
  bool json = false;
};

constexpr int kIngestTimeoutSeconds = 6 * 3600;

std::string Amount(const nlohmann::json& amount) {
  return amount.is_string() ? amount.get<std::string>() : "";
}

void PrintReport(const nlohmann::json& report) {
  TextTable files({"FILE", "PROVIDER", "ROWS", "LOADED", "REJECTED", "CURRENCY", "BILLED", "EFFECTIVE", "LIST"});
  for (const auto& f : report["files"]) {
    files.AddRow({f.value("path", ""), f.value("provider", ""), std::to_string(f.value("rows_read", 0)),
                  std::to_string(f.value("rows_loaded", 0)), std::to_string(f.value("rows_rejected", 0)),
                  f["currency"].is_string() ? f["currency"].get<std::string>() : "mixed", Amount(f["billed_cost"]),
                  Amount(f["effective_cost"]), Amount(f["list_cost"])});
  }
  std::fputs(files.Render().c_str(), stdout);
  for (const auto& r : report["rules"]) {
    std::string examples;
    for (const auto& e : r["examples"]) examples += (examples.empty() ? "" : ", ") + e.get<std::string>();
    std::printf("%s %s (%s): %lld line(s), e.g. %s\n", r.value("action", "").c_str(), r.value("rule", "").c_str(),
                r.value("description", "").c_str(), static_cast<long long>(r.value("rows", 0)), examples.c_str());
  }
  std::printf("ingest %lld: %zu file(s); %lld line(s) of earlier ingests restated\n",
              static_cast<long long>(report.value("ingest_id", 0)), report["files"].size(),
              static_cast<long long>(report.value("rows_replaced", 0)));
}

int RunIngest(const IngestOptions& options) {
  nlohmann::json body = {{"paths", nlohmann::json::array()}, {"provider", options.provider}};
  for (const std::string& path : options.paths) {
    std::error_code ec;
    body["paths"].push_back(std::filesystem::absolute(path, ec).lexically_normal().string());
  }
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError("ingest", target.status());
  (*target)->client().SetReadTimeout(kIngestTimeoutSeconds);
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "ingesting %zu path(s)...\n", options.paths.size());
  auto report = (*target)->client().Post("/api/v1/ingests", body);
  if (!report.ok()) {
    // A bill the server refuses is a failed ingest (1), not a usage error.
    ReportError("ingest", report.status());
    return kExitFailure;
  }
  if (options.json) {
    std::printf("%s\n", report->dump(2).c_str());
  } else {
    PrintReport(*report);
  }
  return kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, CommandAction& action) {
  auto options = std::make_shared<IngestOptions>();
  CLI::App* ingest = app.add_subcommand(
      "ingest", "Load billing exports (FOCUS, AWS CUR, GCP, Azure, OCI; CSV, .csv.gz, Parquet; files or folders)");
  AddTargetOptions(*ingest, options->target);
  ingest->add_option("paths", options->paths, "Files or folders to ingest, as one all-or-nothing unit")->required();
  ingest->add_option("--provider", options->provider, "Source format (auto detects it from the header)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "focus", "focus-contract-commitment", "aws-cur", "gcp", "azure", "oci"}));
  ingest->add_flag("--json", options->json, "Print the server's JSON report instead of a table");
  ingest->callback([options, &action] { action = [options] { return RunIngest(*options); }; });

  auto provider = std::make_shared<std::string>();
  CLI::App* mapping = app.add_subcommand("mapping", "Print how a provider's export maps to FOCUS (Markdown)");
  mapping->add_option("provider", *provider, "focus, focus-contract-commitment, aws-cur, gcp, azure or oci")
      ->required()
      ->check(CLI::IsMember({"focus", "focus-contract-commitment", "aws-cur", "gcp", "azure", "oci"}));
  mapping->callback([provider, &action] {
    action = [provider] {
      std::fputs(billing::MappingMarkdown(*billing::ParseFormatName(*provider)).c_str(), stdout);
      return kExitOk;
    };
  });
}

}  // namespace mlcost::cli
