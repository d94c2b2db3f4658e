#include "server/http_adapter.h"

#include <cstdio>
#include <fstream>
#include <memory>

#include "api/http_error.h"

namespace mlcost::server {
namespace {

constexpr std::string_view kArtifactUploadPrefix = "/api/2.0/mlflow-artifacts/artifacts/";

api::ApiRequest Convert(const httplib::Request& req) {
  api::ApiRequest out;
  out.method = req.method;
  out.path = req.path;
  out.query = std::multimap<std::string, std::string>(req.params.begin(), req.params.end());
  out.content_type = req.get_header_value("Content-Type");
  return out;
}

void Send(const api::ApiResponse& response, httplib::Response& res) {
  res.status = response.status;
  if (response.file_path.empty()) {
    res.set_content(response.body, response.content_type);
    return;
  }
  auto file = std::make_shared<std::ifstream>(response.file_path, std::ios::binary);
  file->seekg(0, std::ios::end);
  size_t size = static_cast<size_t>(file->tellg());
  file->seekg(0);
  res.set_content_provider(size, response.content_type,
                           [file](size_t offset, size_t length, httplib::DataSink& sink) {
                             char buf[64 * 1024];
                             file->seekg(static_cast<std::streamoff>(offset));
                             file->read(buf, static_cast<std::streamsize>(std::min(length, sizeof buf)));
                             std::streamsize n = file->gcount();
                             if (n <= 0) return false;
                             sink.write(buf, static_cast<size_t>(n));
                             return true;
                           });
}

// PUT /api/2.0/mlflow-artifacts/artifacts/<path>: stream to a temp file, then move into place,
// so a failed or oversized upload leaves nothing behind.
api::ApiResponse Upload(const httplib::Request& req, const httplib::ContentReader& reader,
                        const tracking::ArtifactStore& artifacts, size_t limit) {
  std::string relative = req.path.substr(kArtifactUploadPrefix.size());
  auto resolved = artifacts.Resolve(relative);
  if (!resolved.ok()) return api::ErrorResponse(resolved.status());
  auto temp = artifacts.NewTempFile();
  if (!temp.ok()) return api::ErrorResponse(temp.status());
  std::ofstream out(*temp, std::ios::binary | std::ios::trunc);
  size_t total = 0;
  bool too_large = false;
  bool ok = reader([&](const char* data, size_t len) {
    total += len;
    if (total > limit) {
      too_large = true;
      return false;
    }
    out.write(data, static_cast<std::streamsize>(len));
    return out.good();
  });
  out.close();
  if (too_large || !ok || !out) {
    std::remove(temp->c_str());
    if (too_large) {
      return api::ErrorResponse(TooLarge("artifact upload is larger than the limit of " + std::to_string(limit) +
                                         " bytes"));
    }
    return api::ErrorResponse(Internal("artifact upload was interrupted or could not be written"));
  }
  Status s = artifacts.Commit(*temp, relative);
  if (!s.ok()) {
    std::remove(temp->c_str());
    return api::ErrorResponse(s);
  }
  return api::ApiResponse{};
}

}  // namespace

void InstallHttpAdapter(httplib::Server& http, const api::Router& router, const tracking::ArtifactStore& artifacts,
                        HttpLimits limits, bool access_log) {
  auto with_body = [&router, &artifacts, limits](const httplib::Request& req, httplib::Response& res,
                                                 const httplib::ContentReader& reader) {
    if (req.method == "PUT" && req.path.rfind(kArtifactUploadPrefix, 0) == 0) {
      Send(Upload(req, reader, artifacts, limits.max_artifact_bytes), res);
      return;
    }
    api::ApiRequest request = Convert(req);
    bool too_large = false;
    reader([&](const char* data, size_t len) {
      if (request.body.size() + len > limits.max_body_bytes) {
        too_large = true;
        return false;
      }
      request.body.append(data, len);
      return true;
    });
    if (too_large) {
      Send(api::ErrorResponse(TooLarge("request body is larger than the limit of " +
                                       std::to_string(limits.max_body_bytes) + " bytes")),
           res);
      res.set_header("Connection", "close");
      return;
    }
    Send(router.Dispatch(request), res);
  };
  auto without_body = [&router](const httplib::Request& req, httplib::Response& res) {
    api::ApiRequest request = Convert(req);
    Send(router.Dispatch(request), res);
  };
  http.Get(".*", without_body);
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);
  http.Delete(".*", with_body);
  // httplib answers some errors itself (413 on a Content-Length over its own limit, 400 on a
  // malformed request line): give those the JSON error body too.
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string code = res.status == 413 ? "REQUEST_TOO_LARGE" : res.status == 404 ? "ENDPOINT_NOT_FOUND" : "BAD_REQUEST";
    api::ApiResponse r = api::ErrorResponse(res.status, code, "HTTP " + std::to_string(res.status));
    res.set_content(r.body, r.content_type);
  });
  if (access_log) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
    });
  }
}

}  // namespace mlcost::server
