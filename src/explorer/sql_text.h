// SqlText: a SQL statement assembled from trusted fragments plus the values bound to its `?`
// parameters, in order. User input only ever enters as a bound value; identifiers come from
// whitelists (see dimension.h).
#ifndef MLCOST_EXPLORER_SQL_TEXT_H_
#define MLCOST_EXPLORER_SQL_TEXT_H_

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlcost/status.h"
#include "store/connection.h"
#include "store/sql_text.h"

namespace mlcost::explorer {

using SqlValue = std::variant<std::string, int64_t, store::Timestamp>;

struct SqlText {
  std::string sql;
  std::vector<SqlValue> binds;

  // Appends trusted SQL text (never user input).
  SqlText& Add(std::string_view fragment) {
    sql += fragment;
    return *this;
  }
  // Appends "?" and binds `value` to it.
  SqlText& Bind(SqlValue value) {
    sql += '?';
    binds.push_back(std::move(value));
    return *this;
  }
  // Appends another fragment with its binds.
  SqlText& Add(const SqlText& other) {
    sql += other.sql;
    binds.insert(binds.end(), other.binds.begin(), other.binds.end());
    return *this;
  }
};

// Prepares `text` on `conn`, binds its values and runs it. Errors as Connection::Prepare and
// PreparedStatement::Execute.
Result<store::QueryResult> RunSql(store::Connection& conn, const SqlText& text);

using store::QuoteIdentifier;

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_SQL_TEXT_H_
