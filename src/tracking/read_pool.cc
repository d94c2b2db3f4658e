#include "tracking/read_pool.h"

namespace mlcost::tracking {

ReadPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  ASSIGN_OR_RETURN(store::Connection conn, db_.Connect());
  return Lease(this, std::make_unique<store::Connection>(std::move(conn)));
}

void ReadPool::Release(std::unique_ptr<store::Connection> conn) {
  conn->Rollback();  // never hand out a connection with a transaction left open
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(conn));
}

}  // namespace mlcost::tracking
