// SavedQueryStore: the saved_queries table (migration 5). Its own connection, serialised by a
// mutex: saved queries are few and change rarely, and no other writer touches the table.
#ifndef MLCOST_SQLCONSOLE_SAVED_QUERY_STORE_H_
#define MLCOST_SQLCONSOLE_SAVED_QUERY_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "sqlconsole/saved_query.h"
#include "store/database.h"

namespace mlcost::sqlconsole {

// What one run of a saved query did.
struct RunRecord {
  Micros run_at = 0;
  bool ok = false;
  int64_t row_count = 0;  // rows written when ok
  std::string error;      // why not, when !ok
  std::string output;     // the file written, when ok
  std::optional<Micros> next_run_at;
};

// Thread-safe.
class SavedQueryStore {
 public:
  // `db` must outlive the store. Internal if DuckDB cannot connect.
  static Result<std::unique_ptr<SavedQueryStore>> Open(store::Database& db);

  // AlreadyExists when the name is taken. The caller has validated the fields.
  Status Create(const SavedQuery& query);
  // Ordered by name.
  Result<std::vector<SavedQuery>> List();
  // NotFound naming `name`.
  Result<SavedQuery> Get(const std::string& name);
  // NotFound naming `name`.
  Status Delete(const std::string& name);
  // Stores the outcome of a run (and the next due time); NotFound when the query was deleted.
  Status RecordRun(const std::string& name, const RunRecord& record);
  // Queries with an interval whose next_run_at is at or before `now`, ordered by next_run_at.
  Result<std::vector<SavedQuery>> Due(Micros now);

 private:
  explicit SavedQueryStore(store::Connection conn) : conn_(std::move(conn)) {}
  Result<std::vector<SavedQuery>> Select(const std::string& where_and_order, std::optional<std::string> name,
                                         std::optional<Micros> now);
  std::mutex mu_;
  store::Connection conn_;  // GUARDED_BY(mu_)
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_SAVED_QUERY_STORE_H_
