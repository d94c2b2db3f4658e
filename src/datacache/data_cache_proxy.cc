#include "datacache/data_cache_proxy.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <chrono>
#include <cstring>

#include "common/ascii.h"
#include "common/durable_file.h"
#include "common/sha256.h"
#include "datacache/sigv4_verifier.h"
#include "s3/s3_xml.h"

namespace mlcost::datacache {
namespace {

constexpr size_t kPassthroughChunk = 8u << 20;

// Headers that describe one hop or one signature, never forwarded.
bool HopHeader(const std::string& lower) {
  return lower == "host" || lower == "authorization" || lower == "content-length" || lower == "connection" ||
         lower == "keep-alive" || lower == "transfer-encoding" || lower == "expect" || lower == "te" ||
         lower == "upgrade" || lower == "accept-encoding" || lower == "x-amz-date" ||
         lower == "x-amz-content-sha256" || lower == "x-amz-security-token" || lower == "user-agent" ||
         lower == "remote_addr" || lower == "remote_port" || lower == "local_addr" || lower == "local_port" ||
         lower == "amz-sdk-invocation-id" || lower == "amz-sdk-request";
}

std::string RawPath(const httplib::Request& req) {
  const std::string& t = req.target.empty() ? req.path : req.target;
  return t.substr(0, t.find('?'));
}

std::string RawQuery(const httplib::Request& req) {
  size_t q = req.target.find('?');
  return q == std::string::npos ? "" : req.target.substr(q + 1);
}

std::string Header(const httplib::Headers& headers, const std::string& name) {
  for (const auto& [k, v] : headers) {
    if (AsciiLower(k) == name) return v;
  }
  return "";
}

// A Content-Length from the upstream; nullopt unless it is a plain decimal number.
std::optional<uint64_t> ParseLength(const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The query parameters of a presigned URL: they sign the request to the cache and are never
// forwarded (the upstream request is signed anew, in the Authorization header).
bool IsPresignParam(const std::string& name) {
  return name == "X-Amz-Algorithm" || name == "X-Amz-Credential" || name == "X-Amz-Date" ||
         name == "X-Amz-Expires" || name == "X-Amz-SignedHeaders" || name == "X-Amz-Signature" ||
         name == "X-Amz-Security-Token";
}

// The cache serves plain reads; anything else asks the upstream (versions, parts, response
// overrides, conditional and SSE-C reads).
bool Cacheable(const httplib::Request& req) {
  for (const auto& [k, v] : req.params) {
    if (!IsPresignParam(k)) return false;
  }
  for (const auto& [k, v] : req.headers) {
    std::string name = AsciiLower(k);
    if (name.rfind("if-", 0) == 0 || name.rfind("x-amz-server-side-encryption-customer", 0) == 0) return false;
  }
  return true;
}

}  // namespace

DataCacheProxy::DataCacheProxy(ProxyOptions options, DiskCache& cache, const UpstreamClient& upstream,
                               const SigV4Verifier& verifier, CacheMetrics& metrics, const Clock& clock)
    : options_(options), cache_(cache), upstream_(upstream), verifier_(verifier), metrics_(metrics), clock_(clock) {}

void DataCacheProxy::Error(httplib::Response& res, const S3Error& error, const std::string& resource) {
  res.status = error.http_status;
  res.set_content(S3ErrorXml(error, resource), "application/xml");
}

void DataCacheProxy::Handle(const httplib::Request& req, httplib::Response& res) {
  const std::string raw_path = RawPath(req);
  const std::string raw_query = RawQuery(req);
  const bool signed_request = req.has_header("Authorization") || raw_query.find("X-Amz-Signature=") != std::string::npos;
  if (req.method == "GET" && raw_path == "/metrics" && !signed_request) {
    res.set_content(metrics_.Render(cache_.bytes(), cache_.objects(), cache_.max_bytes()),
                    "text/plain; version=0.0.4");
    return;
  }
  Result<ObjectPath> path = ParseObjectPath(req.path);
  if (!path.ok()) {
    Error(res, {400, "InvalidURI", path.status().message()}, raw_path);
    return;
  }
  IncomingRequest incoming{req.method, raw_path, raw_query, {}};
  for (const auto& [k, v] : req.headers) incoming.headers.emplace_back(k, v);
  if (std::optional<S3Error> denied = verifier_.Verify(incoming)) {
    metrics_.RecordAuthFailure();
    Error(res, *denied, raw_path);
    return;
  }
  const std::string payload = Header(req.headers, "x-amz-content-sha256");
  if (payload.rfind("STREAMING-", 0) == 0) {
    Error(res,
          {501, "NotImplemented",
           "aws-chunked uploads (" + payload + ") are not supported by the data cache; send the payload hash "
           "or UNSIGNED-PAYLOAD"},
          raw_path);
    return;
  }
  if (IsHex64(payload) && payload != Sha256Hex(req.body)) {
    Error(res, {400, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256"}, raw_path);
    return;
  }
  const bool read = req.method == "GET" || req.method == "HEAD";
  if (read && !path->key.empty() && Cacheable(req)) {
    GetObject(req, res, *path, req.method == "HEAD");
    return;
  }
  PassThrough(req, res, *path);
  if (!read) Invalidate(req, *path);
}

UpstreamRequest DataCacheProxy::Forwarded(const httplib::Request& req, const std::string& method,
                                          bool as_sent) const {
  UpstreamRequest out;
  out.method = method;
  out.raw_path = RawPath(req);
  if (as_sent) {
    // The verifier has accepted the request, so its query decodes (a malformed one forwards none).
    if (auto query = ParseQuery(RawQuery(req))) {
      for (auto& [k, v] : *query) {
        if (!IsPresignParam(k)) out.query.emplace_back(std::move(k), std::move(v));
      }
    }
    for (const auto& [k, v] : req.headers) {
      if (!HopHeader(AsciiLower(k))) out.headers.emplace_back(k, v);
    }
    out.body = req.body;
  }
  return out;
}

void DataCacheProxy::CopyResponse(const UpstreamResponse& from, httplib::Response& res, bool head) {
  res.status = from.status;
  std::string content_type;
  std::string length;
  for (const auto& [k, v] : from.headers) {
    std::string name = AsciiLower(k);
    if (name == "content-type") {
      content_type = v;
    } else if (name == "content-length") {
      length = v;
    } else if (name != "transfer-encoding" && name != "connection" && name != "keep-alive") {
      res.headers.emplace(k, v);
    }
  }
  std::optional<uint64_t> size = ParseLength(length);
  if (head && size.value_or(0) > 0) {
    // HEAD: the length of the body that is not sent (cpp-httplib sends no body for HEAD).
    res.set_content_provider(*size, content_type,
                             [](size_t, size_t, httplib::DataSink&) { return false; });
    return;
  }
  res.set_content(from.body, content_type.empty() ? "application/octet-stream" : content_type);
}

void DataCacheProxy::PassThrough(const httplib::Request& req, httplib::Response& res, const ObjectPath& path) {
  metrics_.RecordUpstreamRequest(req.method);
  Result<UpstreamResponse> r = upstream_.Send(Forwarded(req, req.method, true));
  if (!r.ok()) {
    metrics_.RecordUpstreamError();
    Error(res, {503, "ServiceUnavailable", r.status().message()}, RawPath(req));
    return;
  }
  if (r->status >= 500) metrics_.RecordUpstreamError();
  CopyResponse(*r, res, req.method == "HEAD");
  if (req.method == "GET" || req.method == "HEAD") res.set_header("x-mlcost-cache", "passthrough");
}

void DataCacheProxy::Invalidate(const httplib::Request& req, const ObjectPath& path) {
  if (!path.key.empty()) {
    cache_.Remove(ObjectId(path));
    metrics_.RecordInvalidation();
    return;
  }
  if (req.method == "POST" && req.has_param("delete")) {  // DeleteObjects: every <Key> in the body
    for (std::string_view key : s3::XmlElements(req.body, "Key")) {
      cache_.Remove(ObjectId({path.bucket, s3::XmlUnescape(key)}));
      metrics_.RecordInvalidation();
    }
  }
}

void DataCacheProxy::GetObject(const httplib::Request& req, httplib::Response& res, const ObjectPath& path,
                               bool head) {
  const auto start = std::chrono::steady_clock::now();
  const std::string id = ObjectId(path);
  Result<std::shared_ptr<CachedFile>> looked = cache_.Lookup(id);
  if (!looked.ok()) metrics_.RecordDiskError();  // the entry was dropped; fetch it again
  std::shared_ptr<CachedFile> file = looked.ok() ? *looked : nullptr;
  if (file != nullptr) {
    const Micros now = clock_.Now();
    if (now - file->meta().validated_at < options_.ttl) {
      ServeFile(req, res, file, head, "hit");
      metrics_.RecordRequest(CacheResult::kHit, head ? 0 : file->size(), SecondsSince(start));
      return;
    }
    Result<UpstreamResponse> r = UpstreamHead(req);
    if (!r.ok() || r->status >= 500) {
      // The upstream cannot say: serve what we have and say so (stale-if-error).
      ServeFile(req, res, file, head, "stale");
      metrics_.RecordRequest(CacheResult::kStale, head ? 0 : file->size(), SecondsSince(start));
      return;
    }
    const bool same = r->status == 200 && Header(r->headers, "etag") == file->meta().etag;
    metrics_.RecordRevalidation(!same);
    if (same) {
      if (!cache_.MarkValidated(id, now).ok()) metrics_.RecordDiskError();
      ServeFile(req, res, file, head, "hit");
      metrics_.RecordRequest(CacheResult::kHit, head ? 0 : file->size(), SecondsSince(start));
      return;
    }
    cache_.Remove(id);
    file.reset();
    // A GET of a changed, deleted or forbidden object goes on as a miss (the upstream's GET
    // answer carries the error body a HEAD answer lacks); a HEAD gets the upstream's answer.
    if (head) return HeadMiss(res, *r, start);
  }
  if (head) {  // a HEAD miss asks the upstream; the body is fetched by the first GET
    Result<UpstreamResponse> r = UpstreamHead(req);
    if (!r.ok()) return Error(res, {503, "ServiceUnavailable", r.status().message()}, RawPath(req));
    return HeadMiss(res, *r, start);
  }
  Fetch fetch = flights_.Do(id, [&] { return FetchObject(req, path, id); });
  if (fetch.file != nullptr) {
    ServeFile(req, res, fetch.file, false, "miss");
    metrics_.RecordRequest(CacheResult::kMiss, fetch.file->size(), SecondsSince(start));
  } else if (fetch.upstream_error) {
    CopyResponse(*fetch.upstream_error, res, false);
    res.set_header("x-mlcost-cache", "miss");
    metrics_.RecordRequest(CacheResult::kMiss, 0, SecondsSince(start));
  } else if (fetch.disk_failed) {
    ServeFromUpstream(req, res, path);
    metrics_.RecordRequest(CacheResult::kPassthrough, 0, SecondsSince(start));
  } else {
    Error(res, {503, "ServiceUnavailable", fetch.status.message()}, RawPath(req));
  }
}

DataCacheProxy::Fetch DataCacheProxy::FetchObject(const httplib::Request& req, const ObjectPath& path,
                                                  const std::string& id) {
  Fetch f;
  Result<DiskCache::TempFile> temp = cache_.CreateTemp();
  if (!temp.ok()) {
    metrics_.RecordDiskError();
    f.disk_failed = true;
    return f;
  }
  bool write_failed = false;
  uint64_t written = 0;
  metrics_.RecordUpstreamRequest("GET");
  Result<UpstreamResponse> r = upstream_.Send(Forwarded(req, "GET", false), [&](const char* data, size_t size) {
    if (!WriteAll(temp->fd, data, size, temp->path).ok()) {  // retries short writes and EINTR
      write_failed = true;
      return false;
    }
    written += size;
    return true;
  });
  bool closed = ::close(temp->fd) == 0;
  if (write_failed || !closed) {
    ::unlink(temp->path.c_str());
    metrics_.RecordDiskError();
    f.disk_failed = true;
    return f;
  }
  if (!r.ok() || r->status != 200) {
    ::unlink(temp->path.c_str());
    if (!r.ok() || r->status >= 500) metrics_.RecordUpstreamError();
    if (r.ok()) {
      f.upstream_error = *r;
    } else {
      f.status = r.status();
    }
    return f;
  }
  metrics_.RecordUpstreamBytes(written);
  const std::string length = Header(r->headers, "content-length");
  if (!length.empty() && length != std::to_string(written)) {
    ::unlink(temp->path.c_str());
    metrics_.RecordUpstreamError();
    f.status = Unavailable("upstream sent " + std::to_string(written) + " of " + length + " bytes");
    return f;
  }
  ObjectMeta meta{path.bucket, path.key, Header(r->headers, "etag"), written,
                  Header(r->headers, "content-type"), Header(r->headers, "last-modified"), clock_.Now()};
  Result<std::shared_ptr<CachedFile>> inserted = cache_.Insert(id, meta, temp->path);
  if (inserted.ok()) {
    f.file = *inserted;
    return f;
  }
  if (inserted.status().code() != StatusCode::kTooLarge) metrics_.RecordDiskError();
  Result<std::shared_ptr<CachedFile>> uncached = DiskCache::OpenUncached(temp->path, meta);
  if (uncached.ok()) {
    f.file = *uncached;
  } else {
    ::unlink(temp->path.c_str());
    f.disk_failed = true;
  }
  return f;
}

void DataCacheProxy::ServeFile(const httplib::Request& req, httplib::Response& res,
                               const std::shared_ptr<CachedFile>& file, bool head, const char* how) {
  const ObjectMeta& m = file->meta();
  // Status left unset: cpp-httplib answers 200, or 206 with Content-Range for a Range request.
  if (!m.etag.empty()) res.set_header("ETag", m.etag);
  if (!m.last_modified.empty()) res.set_header("Last-Modified", m.last_modified);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("x-mlcost-cache", how);
  const std::string type = m.content_type.empty() ? "binary/octet-stream" : m.content_type;
  if (!req.ranges.empty() && !head) {
    // cpp-httplib cuts the range out of the provider's bytes; refuse what it cannot satisfy.
    const auto& [first, last] = req.ranges[0];
    const auto size = static_cast<ssize_t>(m.size);
    if (req.ranges.size() > 1 || (first >= 0 && first >= size) || (first < 0 && last == 0) || size == 0) {
      res.set_header("Content-Range", "bytes */" + std::to_string(m.size));
      Error(res, {416, "InvalidRange", "the requested range is not satisfiable"}, RawPath(req));
      return;
    }
  }
  if (m.size == 0) {
    res.set_content("", type);
    return;
  }
  res.set_content_provider(m.size, type, [file](size_t offset, size_t length, httplib::DataSink& sink) {
    return sink.write(file->data() + offset, length);
  });
}

Result<UpstreamResponse> DataCacheProxy::UpstreamHead(const httplib::Request& req) {
  metrics_.RecordUpstreamRequest("HEAD");
  Result<UpstreamResponse> r = upstream_.Send(Forwarded(req, "HEAD", false));
  if (!r.ok() || r->status >= 500) metrics_.RecordUpstreamError();
  return r;
}

void DataCacheProxy::HeadMiss(httplib::Response& res, const UpstreamResponse& r, std::chrono::steady_clock::time_point start) {
  CopyResponse(r, res, /*head=*/true);
  res.set_header("x-mlcost-cache", "miss");
  metrics_.RecordRequest(CacheResult::kMiss, 0, SecondsSince(start));
}

void DataCacheProxy::ServeFromUpstream(const httplib::Request& req, httplib::Response& res, const ObjectPath& path) {
  Result<UpstreamResponse> r = UpstreamHead(req);
  if (!r.ok()) return Error(res, {503, "ServiceUnavailable", r.status().message()}, RawPath(req));
  if (r->status != 200) {
    CopyResponse(*r, res, /*head=*/false);
    res.set_header("x-mlcost-cache", "passthrough");
    return;
  }
  const std::string etag = Header(r->headers, "etag");
  std::optional<uint64_t> length = ParseLength(Header(r->headers, "content-length"));
  if (!length) {
    metrics_.RecordUpstreamError();
    Error(res, {502, "BadGateway", "the upstream's HEAD answer has no valid Content-Length"}, RawPath(req));
    return;
  }
  const uint64_t size = *length;
  res.status = 200;
  res.set_header("ETag", etag);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("x-mlcost-cache", "passthrough");
  std::string type = Header(r->headers, "content-type");
  if (size == 0) {
    res.set_content("", type);
    return;
  }
  // Streamed in ranged GETs pinned to the ETag: bounded memory, no disk.
  UpstreamRequest get = Forwarded(req, "GET", false);
  res.set_content_provider(size, type, [this, get, etag](size_t offset, size_t length, httplib::DataSink& sink) {
    UpstreamRequest part = get;
    const size_t n = std::min(length, kPassthroughChunk);
    part.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + n - 1));
    part.headers.emplace_back("If-Match", etag);
    metrics_.RecordUpstreamRequest("GET");
    Result<UpstreamResponse> got = upstream_.Send(part, [&](const char* data, size_t size) {
      return sink.write(data, size);
    });
    return got.ok() && got->status == 206;
  });
}

}  // namespace mlcost::datacache
