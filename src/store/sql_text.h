// Quoting for SQL text built in code: identifiers and literals for DuckDB. Values a user sends
// are bound as parameters instead; these are for names from a whitelist or a file's own header,
// and for literals DuckDB cannot bind (paths in read_csv, COPY targets).
#ifndef MLCOST_STORE_SQL_TEXT_H_
#define MLCOST_STORE_SQL_TEXT_H_

#include <string>
#include <string_view>

namespace mlcost::store {

// "name" with embedded double quotes doubled.
std::string QuoteIdentifier(std::string_view name);
// 'text' with embedded single quotes doubled.
std::string QuoteLiteral(std::string_view text);

}  // namespace mlcost::store

#endif  // MLCOST_STORE_SQL_TEXT_H_
