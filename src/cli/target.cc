#include "cli/target.h"

#include <filesystem>
#include <regex>

#include "common/clock.h"

namespace mlcost::cli {

void AddTargetOptions(CLI::App& command, TargetOptions& options) {
  CLI::Option* server =
      command.add_option("--server", options.server, "Base URL of a running `mlcost serve`")
          ->capture_default_str()
          ->check(CLI::Validator(
              [](std::string& url) {
                Status status = ValidateServerUrl(url);
                return status.ok() ? std::string() : status.message();
              },
              "URL"));
  CLI::Option* data_dir = command.add_option(
      "--data-dir", options.data_dir,
      "Open this data directory in-process instead of connecting to a server (fails while a server "
      "holds it)");
  server->excludes(data_dir);
}

std::string DataDirConflictHint(const Status& status) {
  if (status.code() != StatusCode::kConflict) return "";
  static const std::regex kHolderUrl(R"(on (https?://[^ ;,)]+))");
  std::smatch match;
  if (std::regex_search(status.message(), match, kHolderUrl)) {
    return "\nhint: talk to that server instead: --server " + match[1].str();
  }
  return "\nhint: talk to the server that holds it with --server URL";
}

Result<std::unique_ptr<Target>> Target::Open(const TargetOptions& options) {
  if (options.data_dir.empty()) {
    return std::unique_ptr<Target>(new Target(nullptr, std::make_unique<ApiClient>(options.server)));
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.data_dir, ec)) {
    return NotFound("data directory " + options.data_dir + " does not exist (`mlcost serve --data-dir " +
                    options.data_dir + "` creates one)");
  }
  server::ServerOptions server_options;
  server_options.data_dir = options.data_dir;
  server_options.host = "127.0.0.1";
  server_options.port = 0;
  server_options.threads = 4;
  server_options.holder = "an mlcost command using --data-dir";
  auto server = server::Server::Start(server_options, SystemClock::Get());
  if (!server.ok()) {
    const Status& status = server.status();
    return Status(status.code(), status.message() + DataDirConflictHint(status));
  }
  auto client = std::make_unique<ApiClient>((*server)->url());
  // Returns once the listener thread is accepting: a Server stopped before that point never
  // wakes from accept() (cpp-httplib 0.11's stop() is a no-op until listen has begun).
  Status health = client->Get("/healthz").status();
  if (!health.ok()) {
    client.reset();
    return health.WithContext("the in-process server on " + options.data_dir + " does not answer");
  }
  return std::unique_ptr<Target>(new Target(std::move(*server), std::move(client)));
}

Target::Target(std::unique_ptr<server::Server> server, std::unique_ptr<ApiClient> client)
    : server_(std::move(server)), client_(std::move(client)) {}

Target::~Target() {
  client_.reset();
  server_.reset();
}

}  // namespace mlcost::cli
