// The cpp-httplib listener set-up shared by `mlcost serve` (server/server.cc) and
// `mlcost datacache serve` (datacache/data_cache_server.cc): thread pool, TCP_NODELAY,
// SO_REUSEADDR only, keep-alive, a SOMAXCONN backlog, bind (port 0 = any free port), the listener
// thread, and Wait/Stop. Header-only so that common itself does not link cpp-httplib: only the
// layers that include it (and already link PkgConfig::HTTPLIB) do.
#ifndef MLCOST_COMMON_HTTP_LISTENER_H_
#define MLCOST_COMMON_HTTP_LISTENER_H_

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include "mlcost/status.h"

namespace mlcost {

class HttpListener {
 public:
  struct Tuning {
    int threads = 64;                 // worker threads (requests served at once)
    int keep_alive_timeout_s = 5;     // how long an idle keep-alive connection holds a worker
    size_t max_payload_bytes = 0;     // largest request body accepted
  };

  HttpListener() = default;
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;
  ~HttpListener() {
    Stop();
    Join();
  }

  // The server to register handlers on (before Start).
  httplib::Server& http() { return http_; }

  // Applies `tuning` and the fixed settings: TCP_NODELAY (small answers must not wait for a
  // delayed ACK behind Nagle), SO_REUSEADDR only (httplib's default also sets SO_REUSEPORT, which
  // would let a second server share a taken port silently instead of failing to bind), and a
  // keep-alive request count that never ends a busy connection. Call once, before Bind.
  void Configure(const Tuning& tuning) {
    const size_t threads = static_cast<size_t>(tuning.threads > 0 ? tuning.threads : 1);
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http_.set_tcp_nodelay(true);
    http_.set_socket_options([this](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd_ = sock;
    });
    http_.set_keep_alive_max_count(1000000);
    http_.set_keep_alive_timeout(tuning.keep_alive_timeout_s);
    http_.set_payload_max_length(tuning.max_payload_bytes);
  }

  // Binds `host`:`port` (0: any free port) and raises the backlog to SOMAXCONN (the installed
  // cpp-httplib listens with 5; a burst of clients otherwise loses SYNs for 1 s each). Returns the
  // bound port; Unavailable when the port is taken or the address is not local.
  Result<int> Bind(const std::string& host, int port) {
    if (port == 0) {
      port_ = http_.bind_to_any_port(host);
      if (port_ <= 0) return Unavailable("cannot bind to any port on " + host);
    } else {
      if (!http_.bind_to_port(host, port)) {
        return Unavailable("cannot listen on " + host + ":" + std::to_string(port) +
                           " (in use, or the address is not local)");
      }
      port_ = port;
    }
    if (listen_fd_ >= 0) ::listen(listen_fd_, SOMAXCONN);
    return port_;
  }

  // Starts accepting on a listener thread; returns once accept() runs: cpp-httplib 0.11's stop()
  // does nothing before that, so a Stop() in the gap would leave the listener blocked forever.
  void Start() {
    listener_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // The port Bind returned (0 before).
  int port() const { return port_; }

  // Blocks until Stop is called.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    stopped_cv_.wait(lock, [&] { return stopped_; });
  }

  // Stops accepting and wakes Wait; idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    http_.stop();
    stopped_cv_.notify_all();
  }

  // Waits for the listener thread to end (after Stop).
  void Join() {
    if (listener_.joinable()) listener_.join();
  }

 private:
  httplib::Server http_;
  std::thread listener_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;  // GUARDED_BY(mu_)
};

}  // namespace mlcost

#endif  // MLCOST_COMMON_HTTP_LISTENER_H_
