// StatementGuard: decides whether a user's SQL text may run in the read-only SQL console.
//
// The database also serves ingest, which reads files, so DuckDB's enable_external_access cannot be
// switched off database-wide (it is global and one-way). Instead each statement is checked before
// DuckDB binds it (binding a table function such as read_csv already reads the file):
//   1. DuckDB's parser must find exactly one statement in the text;
//   2. json_serialize_sql must serialise it: it serialises SELECT statements only (WITH, VALUES,
//      FROM-first, UNION, DESCRIBE/SUMMARIZE of a query), so INSERT, UPDATE, DELETE, COPY, ATTACH,
//      SET, PRAGMA, INSTALL, LOAD, CREATE, EXPORT, CALL ... are refused here;
//   3. its syntax tree is walked (CheckSelectAst) against allowlists: every table a FROM names must
//      be one of mlcost's readable tables and views or a CTE in scope (a quoted file name such as
//      '/etc/passwd' is a "table" to the parser and would be a replacement scan: it is not on the
//      list); every table function must be a pure generator (range, generate_series, unnest,
//      json_each, json_tree); scalar functions that read settings, variables or sequences or
//      write logs are denied by name; catalogs and schemas other than main are refused.
// The statement then runs in a READ ONLY transaction (sql_service.h), so a write that slipped
// through would still fail.
#ifndef MLCOST_SQLCONSOLE_STATEMENT_GUARD_H_
#define MLCOST_SQLCONSOLE_STATEMENT_GUARD_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::sqlconsole {

// The tables and views of the main schema the console may read (lower case).
const std::vector<std::string>& ReadableRelations();

// Checks the output of DuckDB's json_serialize_sql for one statement (the whole object with
// "error" and "statements"). OK when allowed; PermissionDenied naming the first forbidden table,
// function, schema or construct; InvalidArgument when the serialiser reported a parse error.
Status CheckSelectAst(const nlohmann::json& serialized);

// The first keyword of `sql` in upper case, skipping blanks, comments and '(' ("DELETE" for
// "/* x */ delete from t"); "" when there is none. Used to name a refused statement.
std::string LeadingKeyword(std::string_view sql);

// Runs steps 1-3 above on `conn` (which only parses; nothing is bound or executed).
// OK when `sql` may run; InvalidArgument with DuckDB's message for a syntax error, an empty text
// or several statements; PermissionDenied naming what is forbidden.
Status CheckStatement(store::Connection& conn, std::string_view sql);

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_STATEMENT_GUARD_H_
