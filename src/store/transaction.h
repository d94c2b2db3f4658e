// One statement-group in a DuckDB transaction: the Begin / body / Commit-or-Rollback shape the
// stores (quota, allocation rules) share.
#ifndef MLCOST_STORE_TRANSACTION_H_
#define MLCOST_STORE_TRANSACTION_H_

#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::store {

// Begins a transaction on `conn`, runs `body` (returning Status or Result<T>), and commits when it
// succeeded. When `body` fails its error is returned and the transaction rolled back; when COMMIT
// fails (a write-write conflict) the transaction is rolled back and the commit error returned.
template <typename Fn>
auto InTransaction(Connection& conn, Fn body) -> decltype(body()) {
  RETURN_IF_ERROR(conn.Begin());
  auto result = body();
  if (!result.ok()) {
    conn.Rollback();
    return result;
  }
  Status commit = conn.Commit();
  if (!commit.ok()) {
    conn.Rollback();
    return commit;
  }
  return result;
}

}  // namespace mlcost::store

#endif  // MLCOST_STORE_TRANSACTION_H_
