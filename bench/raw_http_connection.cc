#include "bench/raw_http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mlcost::bench {
namespace {

// Case-insensitive search for a header's value in the header block; "" when absent.
std::string HeaderValue(std::string_view headers, std::string_view name) {
  size_t pos = 0;
  while ((pos = headers.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    if (headers.size() - pos < name.size() + 1) break;
    bool match = true;
    for (size_t i = 0; i < name.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(headers[pos + i])) ==
              std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (match && headers[pos + name.size()] == ':') {
      size_t start = pos + name.size() + 1;
      size_t end = headers.find("\r\n", start);
      std::string_view value = headers.substr(start, end == std::string_view::npos ? end : end - start);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
  }
  return "";
}

}  // namespace

RawHttpConnection::RawHttpConnection(const std::string& base_url) {
  std::string rest = base_url.substr(base_url.find("://") == std::string::npos ? 0 : base_url.find("://") + 3);
  size_t colon = rest.rfind(':');
  host_ = rest.substr(0, colon);
  port_ = colon == std::string::npos ? 80 : std::atoi(rest.c_str() + colon + 1);
}

RawHttpConnection::~RawHttpConnection() { Close(); }

void RawHttpConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
}

Status RawHttpConnection::Connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Unavailable(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    Close();
    return Unavailable("not a numeric IPv4 host: " + host_);
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::string why = std::strerror(errno);
    Close();
    return Unavailable("connect to " + host_ + ":" + std::to_string(port_) + ": " + why);
  }
  return Status::Ok();
}

Result<RawResponse> RawHttpConnection::ReadResponse() {
  size_t header_end;
  while ((header_end = in_.find("\r\n\r\n")) == std::string::npos) {
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return Unavailable(n == 0 ? "connection closed" : std::strerror(errno));
    in_.append(buf, static_cast<size_t>(n));
  }
  std::string_view headers(in_.data(), header_end + 2);
  if (headers.size() < 12 || headers.substr(0, 5) != "HTTP/") return Internal("malformed status line");
  RawResponse response;
  response.status = std::atoi(headers.data() + 9);
  std::string length = HeaderValue(headers, "Content-Length");
  if (length.empty()) return Internal("answer without Content-Length");
  size_t body_length = std::strtoull(length.c_str(), nullptr, 10);
  bool close = HeaderValue(headers, "Connection") == "close";
  size_t total = header_end + 4 + body_length;
  while (in_.size() < total) {
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return Unavailable("connection closed mid-answer");
    in_.append(buf, static_cast<size_t>(n));
  }
  response.body = in_.substr(header_end + 4, body_length);
  in_.erase(0, total);
  if (close) Close();
  return response;
}

Result<RawResponse> RawHttpConnection::PostJson(std::string_view path, std::string_view body) {
  request_.clear();
  request_.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host_);
  request_.append("\r\nContent-Type: application/json\r\nContent-Length: ").append(std::to_string(body.size()));
  request_.append("\r\n\r\n").append(body);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0) RETURN_IF_ERROR(Connect());
    size_t sent = 0;
    bool broken = false;
    while (sent < request_.size()) {
      ssize_t n = ::send(fd_, request_.data() + sent, request_.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        broken = true;
        break;
      }
      sent += static_cast<size_t>(n);
    }
    if (!broken) {
      Result<RawResponse> response = ReadResponse();
      if (response.ok() || !in_.empty()) return response;  // a partial answer is not retried
    }
    Close();  // the server closed the idle connection first: reconnect once
  }
  return Unavailable("connection to " + host_ + ":" + std::to_string(port_) + " failed twice");
}

}  // namespace mlcost::bench
