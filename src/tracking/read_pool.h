// ReadPool: reusable DuckDB connections for readers. Each HTTP worker borrows one per request;
// DuckDB runs reads on separate connections concurrently with the writer (MVCC).
#ifndef MLCOST_TRACKING_READ_POOL_H_
#define MLCOST_TRACKING_READ_POOL_H_

#include <memory>
#include <mutex>
#include <vector>

#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::tracking {

class ReadPool {
 public:
  // `db` must outlive the pool and every lease.
  explicit ReadPool(store::Database& db) : db_(db) {}

  // A borrowed connection; returned to the pool when the lease is destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<store::Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    store::Connection& operator*() { return *conn_; }
    store::Connection* operator->() { return conn_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<store::Connection> conn_;
  };

  // An idle connection, or a new one. Internal if DuckDB cannot connect. Thread-safe.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<store::Connection> conn);
  store::Database& db_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Connection>> idle_;  // GUARDED_BY(mu_)
};

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_READ_POOL_H_
