#include "datacache/data_cache_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "datacache/data_cache_proxy.h"

namespace mlcost::datacache {

struct DataCacheServer::Impl {
  DataCacheOptions options;
  std::unique_ptr<DiskCache> cache;
  std::unique_ptr<UpstreamClient> upstream;
  std::unique_ptr<SigV4Verifier> verifier;
  CacheMetrics metrics;
  std::unique_ptr<DataCacheProxy> proxy;
  httplib::Server http;
  std::thread listener;
  int port = 0;
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopped = false;  // GUARDED_BY(mu)
};

Result<std::unique_ptr<DataCacheServer>> DataCacheServer::Start(const DataCacheOptions& options,
                                                                const Clock& clock) {
  if (options.max_bytes == 0) return InvalidArgument("--max-size must be greater than 0");
  if (options.ttl_seconds < 0) return InvalidArgument("--ttl must be 0 or more seconds");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  DiskCacheOptions disk{options.dir, options.max_bytes, options.min_free_bytes, nullptr};
  ASSIGN_OR_RETURN(impl->cache, DiskCache::Open(disk, clock));
  CacheMetrics* metrics = &impl->metrics;
  impl->cache->set_eviction_listener([metrics](uint64_t bytes) { metrics->RecordEviction(bytes); });
  impl->upstream = std::make_unique<UpstreamClient>(options.upstream, clock);
  impl->verifier = std::make_unique<SigV4Verifier>(
      s3::SigV4Credentials{options.upstream.access_key, options.upstream.secret_key, ""}, clock);
  ProxyOptions proxy_options;
  proxy_options.ttl = options.ttl_seconds * kMicrosPerSecond;
  impl->proxy = std::make_unique<DataCacheProxy>(proxy_options, *impl->cache, *impl->upstream, *impl->verifier,
                                                 impl->metrics, clock);

  httplib::Server& http = impl->http;
  const int threads = options.threads > 0 ? options.threads : 64;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_tcp_nodelay(true);
  auto listen_fd = std::make_shared<int>(-1);
  http.set_socket_options([listen_fd](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listen_fd = sock;
  });
  http.set_keep_alive_max_count(1000000);
  http.set_keep_alive_timeout(5);
  http.set_payload_max_length(proxy_options.max_body_bytes);
  DataCacheProxy* proxy = impl->proxy.get();
  auto handler = [proxy](const httplib::Request& req, httplib::Response& res) { proxy->Handle(req, res); };
  http.Get(".*", handler);  // cpp-httplib answers HEAD with the GET handlers (req.method is "HEAD")
  http.Put(".*", handler);
  http.Post(".*", handler);
  http.Delete(".*", handler);

  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
    if (impl->port <= 0) return Unavailable("cannot bind to any port on " + options.host);
  } else {
    if (!http.bind_to_port(options.host, options.port)) {
      return Unavailable("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                         " (in use, or the address is not local)");
    }
    impl->port = options.port;
  }
  if (*listen_fd >= 0) ::listen(*listen_fd, SOMAXCONN);
  auto server = std::unique_ptr<DataCacheServer>(new DataCacheServer(std::move(impl)));
  server->impl_->listener = std::thread([s = server.get()] { s->impl_->http.listen_after_bind(); });
  // cpp-httplib 0.11's stop() does nothing before accept() runs (see server/server.cc).
  while (!server->impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return server;
}

DataCacheServer::DataCacheServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DataCacheServer::~DataCacheServer() {
  Stop();
  if (impl_->listener.joinable()) impl_->listener.join();
}

int DataCacheServer::port() const { return impl_->port; }

std::string DataCacheServer::url() const {
  return "http://" + impl_->options.host + ":" + std::to_string(impl_->port);
}

void DataCacheServer::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->stopped_cv.wait(lock, [&] { return impl_->stopped; });
}

void DataCacheServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->http.stop();
  impl_->stopped_cv.notify_all();
}

}  // namespace mlcost::datacache
