#include "billing/mapping_doc.h"

#include "billing/mapping_table.h"

namespace mlcost::billing {
namespace {

// Table cells cannot hold '|'; templates do not use it except in SQL's ||.
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else out.push_back(c);
  }
  return out;
}

}  // namespace

std::string MappingMarkdown(SourceFormat format) {
  const FormatMapping& m = MappingFor(format);
  std::string out = "| " + std::string(m.table) + " column | from (first template whose columns exist) |\n|---|---|\n";
  for (const ColumnRule& rule : m.rules) {
    std::string from;
    for (std::string_view alternative : rule.alternatives) {
      from += (from.empty() ? "`" : "`; `") + Cell(alternative);
    }
    out += "| " + std::string(rule.target) + " | " + (from.empty() ? "" : from + "`") + " |\n";
  }
  if (!m.tag_columns.empty()) {
    out += "\nTag columns (key = the rest of the column name):";
    for (const TagColumnPattern& p : m.tag_columns) {
      out += " `" + std::string(p.prefix) + "*`" + (p.key_prefix.empty() ? "" : " → `" + std::string(p.key_prefix) + "*`") + ";";
    }
    out.back() = '\n';
  }
  out += "\nCost column: " + std::string(m.cost_column) + "\n";
  return out;
}

}  // namespace mlcost::billing
