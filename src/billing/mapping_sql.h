// Turns a FormatMapping and a file's header into the SQL that maps the file's rows to FOCUS.
#ifndef MLCOST_BILLING_MAPPING_SQL_H_
#define MLCOST_BILLING_MAPPING_SQL_H_

#include <string>
#include <vector>

#include "billing/header_index.h"
#include "billing/mapping_table.h"
#include "mlcost/status.h"
#include "store/sql_text.h"

namespace mlcost::billing {

// A source column read as a number somewhere in the mapping.
struct TypedReference {
  std::string column;  // the file's spelling
  char kind;           // '$' decimal
};

struct MappedSelect {
  // "expr AS target" for each rule, in the mapping's order; targets without an applicable
  // template are NULL.
  std::vector<std::string> targets;
  std::vector<std::string> expressions;
  // Every numeric column reference the chosen templates make (deduplicated): what the line-and-column
  // diagnosis checks when the strict statement fails.
  std::vector<TypedReference> typed_references;
  // Targets no template could fill for this file (reported, not an error).
  std::vector<std::string> unmapped;
};

// Builds the select list. `strict` reads numbers with the failing macro (mlcost_money), otherwise
// with the NULL-returning one. Times never fail the statement: a time that does not parse is NULL,
// and the FOCUS rules count and reject or flag the line (focus_rules.h). InvalidArgument for a malformed template (a
// programming error in the mapping table, caught by the unit tests).
Result<MappedSelect> BuildMappedSelect(const FormatMapping& mapping, const HeaderIndex& header, bool strict);

// The diagnosis query's list expression: for each typed reference, 'column<US>value' when the value
// is present but does not parse, else NULL.
std::string ParseFailureListSql(const std::vector<TypedReference>& refs);

using store::QuoteIdentifier;
using store::QuoteLiteral;

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_MAPPING_SQL_H_
