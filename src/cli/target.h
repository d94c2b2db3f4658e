// Target: the server a client command talks to. Either a running server (--server URL) or a
// data directory (--data-dir DIR) that the command serves itself, in this process, on a free
// loopback port for as long as the Target lives. Both go through the same ApiClient, so a command
// has one code path.
#ifndef MLCOST_CLI_TARGET_H_
#define MLCOST_CLI_TARGET_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/api_client.h"
#include "mlcost/status.h"
#include "server/server.h"

namespace mlcost::cli {

inline constexpr char kDefaultServerUrl[] = "http://127.0.0.1:8080";

struct TargetOptions {
  // Base URL of a running `mlcost serve`. Default http://127.0.0.1:8080.
  std::string server = kDefaultServerUrl;
  // When set, serve this data directory in-process instead of connecting to `server`.
  std::string data_dir;
};

// Adds --server URL and --data-dir DIR (mutually exclusive; a malformed URL is a usage error) to
// `command`. `options` must outlive parsing.
void AddTargetOptions(CLI::App& command, TargetOptions& options);

// Returns the "\nhint: ..." to add to the Conflict a locked data directory gives: the holder's
// --server URL when its lock says "... on http://HOST:PORT", else the --server flag. "" for any
// other status.
std::string DataDirConflictHint(const Status& status);

class Target {
 public:
  // With options.data_dir: NotFound if the directory does not exist (a client command never
  // creates one), Conflict naming the process that holds it (another `mlcost serve`: use --server),
  // or any error of server::Server::Start; it returns once that server answers /healthz. Without:
  // never fails; an unreachable server shows up
  // on the first request.
  static Result<std::unique_ptr<Target>> Open(const TargetOptions& options);

  // Closes the client before stopping the in-process server so no keep-alive connection holds it.
  ~Target();

  ApiClient& client() { return *client_; }
  // The URL the commands can print ("http://127.0.0.1:8080").
  const std::string& url() const { return client_->base_url(); }

 private:
  Target(std::unique_ptr<server::Server> server, std::unique_ptr<ApiClient> client);

  std::unique_ptr<server::Server> server_;  // null with --server
  std::unique_ptr<ApiClient> client_;
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_TARGET_H_
