#include "explorer/sql_text.h"

#include <cstdlib>

namespace mlcost::explorer {

Result<store::QueryResult> RunSql(store::Connection& conn, const SqlText& text) {
  ASSIGN_OR_RETURN(store::PreparedStatement stmt, conn.Prepare(text.sql));
  uint64_t index = 1;
  for (const SqlValue& v : text.binds) {
    Status s;
    if (const auto* str = std::get_if<std::string>(&v)) {
      s = stmt.BindString(index, *str);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      s = stmt.BindInt64(index, *i);
    } else {
      s = stmt.BindTimestamp(index, std::get<store::Timestamp>(v).micros);
    }
    RETURN_IF_ERROR(s);
    ++index;
  }
  return stmt.Execute();
}

}  // namespace mlcost::explorer
