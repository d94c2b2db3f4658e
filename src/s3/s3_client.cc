#include "s3/s3_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

#include "s3/s3_http.h"
#include "s3/s3_xml.h"

namespace mlcost::s3 {

struct S3Client::Request {
  std::string method;  // GET PUT POST DELETE HEAD
  std::string bucket;
  std::string key;  // may be empty (bucket operations)
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  // Body: either `body` (in memory) or `fd` + `offset` + `length` (read with pread).
  std::string body;
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string payload_sha256;  // empty: sha256(body) for in-memory bodies, UNSIGNED-PAYLOAD for files
  // GET only: successful response bytes go here instead of Response::body.
  const std::function<bool(const char*, size_t)>* sink = nullptr;
};

struct S3Client::Response {
  httplib::Error error = httplib::Error::Success;
  int status = 0;
  httplib::Headers headers;
  std::string body;
  uint64_t delivered = 0;  // bytes given to the sink
  bool sink_cancelled = false;
};

namespace {

std::string ObjectUrl(const std::string& bucket, const std::string& key) {
  std::string out = "s3://" + bucket;
  if (!key.empty()) out += "/" + key;
  return out;
}

std::string StripQuotes(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

Micros ParseHttpDate(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return 0;
  return static_cast<Micros>(timegm(&tm)) * kMicrosPerSecond;
}

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
    case 412:
      return StatusCode::kConflict;
    default:
      return status >= 500 ? StatusCode::kUnavailable : StatusCode::kInternal;
  }
}

bool Retryable(const httplib::Error error, int status) {
  if (error != httplib::Error::Success) return error != httplib::Error::Canceled;
  return status >= 500;
}

}  // namespace

S3Client::S3Client(S3Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      signer_({config_.access_key, config_.secret_key, config_.session_token}, config_.region, "s3") {
  // The Host header exactly as cpp-httplib would write it, so what is signed is what is sent.
  host_header_ = HostHeaderFor(config_.endpoint);
}

S3Client::Response S3Client::Send(const Request& r) const {
  std::string path = "/" + UriEncode(r.bucket, true);
  if (!r.key.empty()) path += "/" + UriEncode(r.key, false);
  bool file_body = r.fd >= 0;
  SigV4Request sr;
  sr.method = r.method;
  sr.path = path;
  sr.query = r.query;
  sr.headers = r.headers;
  sr.headers.emplace_back("host", host_header_);
  if (!r.payload_sha256.empty()) {
    sr.payload_sha256 = r.payload_sha256;
  } else {
    sr.payload_sha256 = file_body ? std::string(kUnsignedPayload) : Sha256Hex(r.body);
  }
  httplib::Headers headers;
  for (const auto& [k, v] : sr.headers) headers.emplace(k == "host" ? "Host" : k, v);
  for (auto& [k, v] : signer_.Sign(sr, AmzDate(clock_.Now()))) headers.emplace(k, v);

  std::unique_ptr<httplib::Client> http = MakeHttpClient(config_);
  httplib::Client& client = *http;
  const std::string target = path + EncodeQuery(r.query);

  Response out;
  httplib::Result result{nullptr, httplib::Error::Unknown};
  if (r.method == "GET") {
    result = client.Get(
        target, headers,
        [&](const httplib::Response& response) {
          out.status = response.status;
          return true;
        },
        [&](const char* data, size_t size) {
          if (out.status / 100 == 2 && r.sink != nullptr) {
            out.delivered += size;
            if (!(*r.sink)(data, size)) {
              out.sink_cancelled = true;
              return false;
            }
            return true;
          }
          out.body.append(data, size);
          return true;
        });
  } else if (r.method == "HEAD") {
    result = client.Head(target, headers);
  } else if (r.method == "DELETE") {
    result = client.Delete(target, headers);
  } else if (file_body) {
    auto provider = [&r](size_t offset, size_t length, httplib::DataSink& sink) {
      char buf[1 << 16];
      size_t n = std::min(length, sizeof(buf));
      ssize_t got = ::pread(r.fd, buf, n, static_cast<off_t>(r.offset + offset));
      if (got <= 0) return false;
      return sink.write(buf, static_cast<size_t>(got));
    };
    result = r.method == "PUT" ? client.Put(target, headers, r.length, provider, "application/octet-stream")
                               : client.Post(target, headers, r.length, provider, "application/octet-stream");
  } else {
    const char* type = r.body.empty() ? "" : "application/xml";
    result = r.method == "PUT"
                 ? client.Put(target, headers, r.body, r.body.empty() ? "application/octet-stream" : type)
                 : client.Post(target, headers, r.body, type);
  }
  out.error = result.error();
  if (result) {
    out.status = result->status;
    out.headers = result->headers;
    if (r.sink == nullptr || out.status / 100 != 2) {
      if (out.body.empty()) out.body = result->body;
    }
  }
  return out;
}

Status S3Client::Execute(const Request& r, Response* response) const {
  static constexpr int kAttempts = 3;
  const std::string where = ObjectUrl(r.bucket, r.key);
  for (int attempt = 1;; ++attempt) {
    *response = Send(r);
    bool replayable = r.sink == nullptr || response->delivered == 0;
    if (attempt < kAttempts && replayable && Retryable(response->error, response->status)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << (2 * (attempt - 1))));
      continue;
    }
    break;
  }
  const Response& res = *response;
  if (res.sink_cancelled) return Internal("S3 " + r.method + " " + where + ": download cancelled");
  if (res.error != httplib::Error::Success) {
    return Unavailable("S3 " + r.method + " " + where + ": cannot reach " + config_.endpoint + ": " +
                       httplib::to_string(res.error));
  }
  // CompleteMultipartUpload may answer 200 with an <Error> body.
  bool error_body = res.status == 200 && r.method == "POST" && res.body.find("<Error>") != std::string::npos;
  if (res.status / 100 == 2 && !error_body) return Status::Ok();
  std::string code = XmlText(res.body, "Code");
  std::string message = XmlText(res.body, "Message");
  std::string text = "S3 " + r.method + " " + where + ": HTTP " + std::to_string(res.status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  if (code.empty() && r.method == "HEAD" && res.status == 404) text += " NotFound";
  return Status(error_body ? StatusCode::kUnavailable : CodeForHttp(res.status), text);
}

Status S3Client::CreateBucket(const std::string& bucket) {
  Request r;
  r.method = "PUT";
  r.bucket = bucket;
  if (config_.region != "us-east-1") {
    r.body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
        XmlEscape(config_.region) + "</LocationConstraint></CreateBucketConfiguration>";
  }
  Response res;
  Status s = Execute(r, &res);
  if (!s.ok() && XmlText(res.body, "Code") == "BucketAlreadyOwnedByYou") return Status::Ok();
  return s;
}

Status S3Client::PutObject(const std::string& bucket, const std::string& key, std::string_view body) {
  Request r;
  r.method = "PUT";
  r.bucket = bucket;
  r.key = key;
  r.body = std::string(body);
  Response res;
  return Execute(r, &res);
}

Status S3Client::PutObjectFromFile(const std::string& bucket, const std::string& key, const std::string& path,
                                   const std::string& payload_sha256) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = "cannot open '" + path + "': " + std::strerror(err);
    return err == ENOENT ? NotFound(msg) : Internal(msg);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Internal("cannot stat '" + path + "': " + std::strerror(err));
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > config_.part_size) {
    ::close(fd);
    return MultipartUpload(bucket, key, path, size);
  }
  Request r;
  r.method = "PUT";
  r.bucket = bucket;
  r.key = key;
  r.fd = fd;
  r.length = size;
  r.payload_sha256 = payload_sha256;
  Response res;
  Status s = Execute(r, &res);
  ::close(fd);
  return s;
}

Status S3Client::MultipartUpload(const std::string& bucket, const std::string& key, const std::string& path,
                                 uint64_t size) {
  Request start;
  start.method = "POST";
  start.bucket = bucket;
  start.key = key;
  start.query = {{"uploads", ""}};
  Response res;
  RETURN_IF_ERROR(Execute(start, &res));
  const std::string upload_id = XmlText(res.body, "UploadId");
  if (upload_id.empty()) {
    return Internal("S3 POST " + ObjectUrl(bucket, key) + "?uploads: no UploadId in the answer");
  }
  auto abort_upload = [&](Status cause) {
    Request abort;
    abort.method = "DELETE";
    abort.bucket = bucket;
    abort.key = key;
    abort.query = {{"uploadId", upload_id}};
    Response ignored;
    (void)Execute(abort, &ignored);
    return cause;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return abort_upload(Internal("cannot open '" + path + "': " + std::strerror(errno)));
  const uint64_t parts = (size + config_.part_size - 1) / config_.part_size;
  std::vector<std::string> etags(parts);
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  Status first_error;  // GUARDED_BY(mu)
  auto worker = [&] {
    while (true) {
      {
        std::lock_guard<std::mutex> l(mu);
        if (!first_error.ok()) return;
      }
      uint64_t index = next.fetch_add(1);
      if (index >= parts) return;
      Request part;
      part.method = "PUT";
      part.bucket = bucket;
      part.key = key;
      part.query = {{"partNumber", std::to_string(index + 1)}, {"uploadId", upload_id}};
      part.fd = fd;
      part.offset = index * config_.part_size;
      part.length = std::min(config_.part_size, size - part.offset);
      Response part_res;
      Status s = Execute(part, &part_res);
      auto etag = part_res.headers.find("ETag");
      if (s.ok() && etag == part_res.headers.end()) s = Internal("S3 answered no ETag");
      std::lock_guard<std::mutex> l(mu);
      if (!s.ok()) {
        if (first_error.ok()) first_error = s.WithContext("part " + std::to_string(index + 1));
        return;
      }
      etags[index] = etag->second;
    }
  };
  std::vector<std::thread> threads;
  const uint64_t thread_count =
      std::min<uint64_t>(parts, static_cast<uint64_t>(std::max(1, config_.upload_threads)));
  for (uint64_t i = 1; i < thread_count; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  ::close(fd);
  if (!first_error.ok()) return abort_upload(first_error);
  std::string complete = "<CompleteMultipartUpload>";
  for (uint64_t i = 0; i < parts; ++i) {
    complete += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + XmlEscape(etags[i]) +
                "</ETag></Part>";
  }
  complete += "</CompleteMultipartUpload>";
  Request done;
  done.method = "POST";
  done.bucket = bucket;
  done.key = key;
  done.query = {{"uploadId", upload_id}};
  done.body = complete;
  Response done_res;
  Status s = Execute(done, &done_res);
  if (!s.ok()) return abort_upload(s);
  return Status::Ok();
}

Result<std::string> S3Client::GetObject(const std::string& bucket, const std::string& key) {
  Request r;
  r.method = "GET";
  r.bucket = bucket;
  r.key = key;
  Response res;
  RETURN_IF_ERROR(Execute(r, &res));
  return std::move(res.body);
}

Status S3Client::GetObjectStream(const std::string& bucket, const std::string& key,
                                 const std::function<bool(const char* data, size_t size)>& sink) {
  Request r;
  r.method = "GET";
  r.bucket = bucket;
  r.key = key;
  r.sink = &sink;
  Response res;
  return Execute(r, &res);
}

Status S3Client::GetObjectToFile(const std::string& bucket, const std::string& key, const std::string& path) {
  std::string temp = path + ".mlcost-tmp-" + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot create '" + temp + "': " + std::strerror(errno));
  std::string write_error;
  Status s = GetObjectStream(bucket, key, [&](const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::write(fd, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        write_error = "cannot write '" + temp + "': " + std::strerror(errno);
        return false;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  });
  if (::close(fd) != 0 && s.ok()) write_error = "cannot write '" + temp + "': " + std::strerror(errno);
  if (!write_error.empty()) s = Internal(write_error);
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    s = Internal("cannot rename '" + temp + "' to '" + path + "': " + std::strerror(errno));
  }
  if (!s.ok()) ::unlink(temp.c_str());
  return s;
}

Result<ObjectInfo> S3Client::HeadObject(const std::string& bucket, const std::string& key) {
  Request r;
  r.method = "HEAD";
  r.bucket = bucket;
  r.key = key;
  Response res;
  RETURN_IF_ERROR(Execute(r, &res));
  ObjectInfo info;
  info.key = key;
  auto header = [&](const char* name) {
    auto it = res.headers.find(name);
    return it == res.headers.end() ? std::string() : it->second;
  };
  info.size = std::strtoull(header("Content-Length").c_str(), nullptr, 10);
  info.etag = StripQuotes(header("ETag"));
  info.last_modified = ParseHttpDate(header("Last-Modified"));
  return info;
}

Result<ListResult> S3Client::ListObjectsV2(const std::string& bucket, const std::string& prefix,
                                           const std::string& delimiter) {
  ListResult out;
  std::string token;
  while (true) {
    Request r;
    r.method = "GET";
    r.bucket = bucket;
    r.query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!delimiter.empty()) r.query.emplace_back("delimiter", delimiter);
    if (!token.empty()) r.query.emplace_back("continuation-token", token);
    Response res;
    RETURN_IF_ERROR(Execute(r, &res));
    for (std::string_view c : XmlElements(res.body, "Contents")) {
      ObjectInfo info;
      info.key = XmlText(c, "Key");
      info.size = std::strtoull(XmlText(c, "Size").c_str(), nullptr, 10);
      info.etag = StripQuotes(XmlText(c, "ETag"));
      auto t = ParseIso8601(XmlText(c, "LastModified"));
      info.last_modified = t.ok() ? *t : 0;
      out.objects.push_back(std::move(info));
    }
    for (std::string_view p : XmlElements(res.body, "CommonPrefixes")) {
      out.common_prefixes.push_back(XmlText(p, "Prefix"));
    }
    token = XmlText(res.body, "NextContinuationToken");
    if (XmlText(res.body, "IsTruncated") != "true") break;
    if (token.empty()) {
      return Internal("S3 ListObjectsV2 " + ObjectUrl(bucket, prefix) +
                      ": truncated answer without a NextContinuationToken");
    }
  }
  return out;
}

Status S3Client::DeleteObject(const std::string& bucket, const std::string& key) {
  Request r;
  r.method = "DELETE";
  r.bucket = bucket;
  r.key = key;
  Response res;
  Status s = Execute(r, &res);
  if (s.code() == StatusCode::kNotFound) return Status::Ok();
  return s;
}

}  // namespace mlcost::s3
