#include "datacache/data_cache_server.h"

#include <httplib.h>

#include "common/http_listener.h"
#include "datacache/data_cache_proxy.h"

namespace mlcost::datacache {

struct DataCacheServer::Impl {
  DataCacheOptions options;
  std::unique_ptr<DiskCache> cache;
  std::unique_ptr<UpstreamClient> upstream;
  std::unique_ptr<SigV4Verifier> verifier;
  CacheMetrics metrics;
  std::unique_ptr<DataCacheProxy> proxy;
  HttpListener http;
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

  impl->http.Configure({options.threads > 0 ? options.threads : 64, 5, proxy_options.max_body_bytes});
  httplib::Server& http = impl->http.http();
  DataCacheProxy* proxy = impl->proxy.get();
  auto handler = [proxy](const httplib::Request& req, httplib::Response& res) { proxy->Handle(req, res); };
  http.Get(".*", handler);  // cpp-httplib answers HEAD with the GET handlers (req.method is "HEAD")
  http.Put(".*", handler);
  http.Post(".*", handler);
  http.Delete(".*", handler);

  RETURN_IF_ERROR(impl->http.Bind(options.host, options.port).status());
  auto server = std::unique_ptr<DataCacheServer>(new DataCacheServer(std::move(impl)));
  server->impl_->http.Start();
  return server;
}

DataCacheServer::DataCacheServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DataCacheServer::~DataCacheServer() {
  impl_->http.Stop();
  impl_->http.Join();
}

int DataCacheServer::port() const { return impl_->http.port(); }

std::string DataCacheServer::url() const {
  return "http://" + impl_->options.host + ":" + std::to_string(impl_->http.port());
}

void DataCacheServer::Wait() { impl_->http.Wait(); }

void DataCacheServer::Stop() { impl_->http.Stop(); }

}  // namespace mlcost::datacache
