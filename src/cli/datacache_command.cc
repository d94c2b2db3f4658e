#include "cli/datacache_command.h"

#include <cstdio>
#include <memory>

#include "cli/exit_code.h"
#include "cli/stop_signals.h"
#include "common/byte_size.h"
#include "datacache/data_cache_server.h"

namespace mlcost::cli {
namespace {

struct DataCacheArgs {
  std::string upstream;
  std::string dir;
  std::string max_size;
  std::string min_free = "0";
  std::string host = "127.0.0.1";
  int port = 0;
  int64_t ttl = 60;
  int threads = 64;
};

int RunDataCache(const DataCacheArgs& args) {
  auto usage = [](const Status& s) {
    std::fprintf(stderr, "mlcost datacache serve: %s\n", s.message().c_str());
    return kExitUsage;
  };
  if (args.host != "127.0.0.1" && args.host != "localhost" && args.host != "::1") {
    return usage(InvalidArgument("refusing to bind " + args.host +
                                 ": only loopback is served (DESIGN.md, security defaults)"));
  }
  datacache::DataCacheOptions options;
  Result<uint64_t> max = ParseByteSize(args.max_size);
  if (!max.ok()) return usage(max.status().WithContext("--max-size"));
  if (*max == 0) return usage(InvalidArgument("--max-size must be greater than 0"));
  Result<uint64_t> min_free = ParseByteSize(args.min_free);
  if (!min_free.ok()) return usage(min_free.status().WithContext("--min-free"));
  Result<std::string> endpoint = s3::NormalizeEndpoint(args.upstream);
  if (!endpoint.ok()) return usage(endpoint.status().WithContext("--upstream"));
  Result<s3::S3Config> config = s3::S3Config::FromEnvironment(*endpoint);
  if (!config.ok()) {
    std::fprintf(stderr, "mlcost datacache serve: %s\n", config.status().message().c_str());
    return kExitFailure;
  }
  options.upstream = *config;
  options.dir = args.dir;
  options.max_bytes = *max;
  options.min_free_bytes = *min_free;
  options.ttl_seconds = args.ttl;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;

  BlockStopSignals();  // before any thread starts: only the waiter gets them
  auto server = datacache::DataCacheServer::Start(options, SystemClock::Get());
  if (!server.ok()) {
    std::fprintf(stderr, "mlcost datacache serve: %s\n", server.status().message().c_str());
    return kExitFailure;
  }
  datacache::DataCacheServer* s = server->get();
  OnStopSignal([s] { s->Stop(); });
  std::printf("mlcost datacache listening on %s (upstream %s, dir %s, max %llu bytes, ttl %lld s)\n",
              s->url().c_str(), options.upstream.endpoint.c_str(), options.dir.c_str(),
              static_cast<unsigned long long>(options.max_bytes), static_cast<long long>(options.ttl_seconds));
  std::fflush(stdout);
  s->Wait();
  return kExitOk;
}

}  // namespace

void AddDataCacheCommand(CLI::App& app, CommandAction& action) {
  CLI::App* datacache = app.add_subcommand("datacache", "Local read-through cache in front of S3 storage");
  datacache->require_subcommand(1);
  auto args = std::make_shared<DataCacheArgs>();
  CLI::App* serve = datacache->add_subcommand(
      "serve",
      "Serve an S3-compatible endpoint that caches object reads from --upstream on local disk.\n"
      "Clients sign with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; the same pair signs upstream requests.");
  serve->add_option("--upstream", args->upstream, "Upstream S3 endpoint URL (http(s)://HOST[:PORT])")->required();
  serve->add_option("--dir", args->dir, "Cache directory (created; one process per directory)")->required();
  serve->add_option("--max-size", args->max_size, "Object bytes kept at most, e.g. 50G, 500MiB, 2GB")->required();
  serve->add_option("--min-free", args->min_free, "Evict to keep this much free on the cache's disk")
      ->capture_default_str();
  serve->add_option("--port", args->port, "TCP port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", args->host, "Address to bind (loopback only)")->capture_default_str();
  serve->add_option("--ttl", args->ttl, "Seconds a cached object is served before its ETag is checked again")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{365} * 86400));
  serve->add_option("--threads", args->threads, "HTTP worker threads (one per open connection)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve->callback([args, &action] { action = [args] { return RunDataCache(*args); }; });
}

}  // namespace mlcost::cli
