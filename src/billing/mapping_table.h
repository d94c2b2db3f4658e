// The provider mappings as data: for each source format, how each FOCUS column of `costs` is
// computed from the file's columns. docs/billing.md renders these tables for readers.
//
// A rule lists SQL templates; the first template whose required column references the file has
// is used, and a column no template can fill is NULL. References inside a template:
//   {Name}    the column as text ("", "NULL" read as NULL)          required
//   {$Name}   the column as DECIMAL(38,12) — an unparseable value fails the file, naming line
//             and column                                            required
//   {@Name}   the column as a UTC TIMESTAMP (ISO 8601 with or without T / Z / offset,
//             MM/DD/YYYY, YYYY-MM-DDTHH:MMZ); unparseable is NULL, which the rules report  required
//   {?Name}, {?$Name}, {?@Name}   the same, but NULL when the file lacks the column
//   {*tags}   a MAP built from the format's tag columns (see tag_columns)
// Names are matched by HeaderIndex (letters and digits, case-insensitive), so `lineItem/UsageAmount`
// also finds `line_item_usage_amount`.
#ifndef MLCOST_BILLING_MAPPING_TABLE_H_
#define MLCOST_BILLING_MAPPING_TABLE_H_

#include <string_view>
#include <vector>

#include "billing/source_format.h"

namespace mlcost::billing {

struct ColumnRule {
  std::string_view target;                     // column of the target table
  std::vector<std::string_view> alternatives;  // SQL templates, first applicable wins
};

// Columns whose raw name starts with `prefix` (case-insensitive) become tags: the key is the rest
// of the name after the prefix, with `key_prefix` in front.
struct TagColumnPattern {
  std::string_view prefix;
  std::string_view key_prefix;
};

struct FormatMapping {
  std::string_view table;  // "costs" or "contract_commitments"
  std::vector<ColumnRule> rules;
  std::vector<TagColumnPattern> tag_columns;
  // The source column(s) whose sum the loaded billed_cost (or, for amortized data,
  // effective_cost) must equal; documentation and the ingest report's `source_cost_column`.
  std::string_view cost_column;
};

const FormatMapping& MappingFor(SourceFormat format);

// Per-provider tables (mapping_<provider>.cc).
const FormatMapping& FocusMapping();
const FormatMapping& FocusContractCommitmentMapping();
const FormatMapping& AwsCurMapping();
const FormatMapping& GcpMapping();
const FormatMapping& AzureMapping();
const FormatMapping& OciMapping();

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_MAPPING_TABLE_H_
