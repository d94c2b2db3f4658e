#include "sqlconsole/query_deadline.h"

namespace mlcost::sqlconsole {

QueryDeadline::QueryDeadline(duckdb_connection conn, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  thread_ = std::thread([this, conn, deadline] {
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_until(lock, deadline, [this] { return done_; })) return;
    fired_.store(true);
    duckdb_interrupt(conn);
  });
}

QueryDeadline::~QueryDeadline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace mlcost::sqlconsole
