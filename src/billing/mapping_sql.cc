#include "billing/mapping_sql.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "billing/cost_columns.h"
#include "common/ascii.h"

namespace mlcost::billing {
namespace {

// The MAP of the header's tag columns, or an empty map.
std::string TagColumnsSql(const FormatMapping& mapping, const HeaderIndex& header) {
  std::vector<std::string> entries;
  std::set<std::string> keys;
  for (const std::string& name : header.names()) {
    std::string lower = AsciiLower(name);
    for (const TagColumnPattern& pattern : mapping.tag_columns) {
      if (lower.size() <= pattern.prefix.size() || lower.compare(0, pattern.prefix.size(), AsciiLower(pattern.prefix)) != 0) {
        continue;
      }
      std::string key = std::string(pattern.key_prefix) + name.substr(pattern.prefix.size());
      if (!keys.insert(key).second) break;
      entries.push_back("{'k': " + QuoteLiteral(key) + ", 'v': mlcost_str(" + QuoteIdentifier(name) + ")}");
      break;
    }
  }
  if (entries.empty()) return "MAP {}::MAP(VARCHAR, VARCHAR)";
  std::string list;
  for (const std::string& e : entries) list += (list.empty() ? "" : ", ") + e;
  return "map_from_entries(list_filter([" + list + "], e -> e.v IS NOT NULL))::MAP(VARCHAR, VARCHAR)";
}

struct Reference {
  bool optional = false;
  char kind = 's';  // 's' text, '$' decimal, '@' timestamp, '*' tag columns
  std::string name;
};

Result<Reference> ParseReference(std::string_view token) {
  Reference ref;
  if (token == "*tags") {
    ref.kind = '*';
    return ref;
  }
  if (!token.empty() && token[0] == '?') {
    ref.optional = true;
    token.remove_prefix(1);
  }
  if (!token.empty() && (token[0] == '$' || token[0] == '@')) {
    ref.kind = token[0];
    token.remove_prefix(1);
  }
  if (token.empty()) return InvalidArgument("mapping template has an empty column reference");
  ref.name = std::string(token);
  return ref;
}

std::string ReadSql(const Reference& ref, const std::string& column, bool strict) {
  std::string id = QuoteIdentifier(column);
  switch (ref.kind) {
    case '$':
      return (strict ? "mlcost_money(" : "mlcost_try_money(") + id + ")";
    case '@':
      return "mlcost_try_ts(" + id + ")";  // never fails: the rules count what does not parse
    default:
      return "mlcost_str(" + id + ")";
  }
}

std::string NullSql(char kind) {
  switch (kind) {
    case '$':
      return "NULL::DECIMAL(38,12)";
    case '@':
      return "NULL::TIMESTAMP";
    default:
      return "NULL::VARCHAR";
  }
}

// Expands one template; nullopt if a required column is missing.
Result<std::optional<std::string>> Expand(std::string_view tmpl, const FormatMapping& mapping,
                                          const HeaderIndex& header, bool strict,
                                          std::vector<TypedReference>& typed) {
  std::string out;
  std::vector<TypedReference> found;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find('{', pos);
    if (open == std::string_view::npos) {
      out += tmpl.substr(pos);
      break;
    }
    size_t close = tmpl.find('}', open);
    if (close == std::string_view::npos) {
      return InvalidArgument("mapping template has an unclosed '{': " + std::string(tmpl));
    }
    out += tmpl.substr(pos, open - pos);
    ASSIGN_OR_RETURN(Reference ref, ParseReference(tmpl.substr(open + 1, close - open - 1)));
    if (ref.kind == '*') {
      out += TagColumnsSql(mapping, header);
    } else if (std::optional<std::string> column = header.Find(ref.name)) {
      out += ReadSql(ref, *column, strict);
      if (ref.kind == '$') found.push_back({*column, ref.kind});
    } else if (ref.optional) {
      out += NullSql(ref.kind);
    } else {
      return std::optional<std::string>();
    }
    pos = close + 1;
  }
  typed.insert(typed.end(), found.begin(), found.end());
  return std::optional<std::string>(out);
}

std::string_view TargetType(std::string_view target) {
  for (const CostColumn& column : CostColumns()) {
    if (column.name == target) return SqlType(column.type);
  }
  return "";
}

}  // namespace

Result<MappedSelect> BuildMappedSelect(const FormatMapping& mapping, const HeaderIndex& header, bool strict) {
  MappedSelect select;
  std::vector<TypedReference> typed;
  for (const ColumnRule& rule : mapping.rules) {
    std::optional<std::string> expr;
    for (std::string_view alternative : rule.alternatives) {
      ASSIGN_OR_RETURN(expr, Expand(alternative, mapping, header, strict, typed));
      if (expr) break;
    }
    std::string type(mapping.table == "costs" ? TargetType(rule.target) : "");
    std::string sql = expr ? "(" + *expr + ")" : "NULL";
    if (!type.empty()) sql = "CAST(" + sql + " AS " + type + ")";
    if (!expr) select.unmapped.emplace_back(rule.target);
    select.targets.emplace_back(rule.target);
    select.expressions.push_back(std::move(sql));
  }
  std::set<std::pair<std::string, char>> seen;
  for (const TypedReference& ref : typed) {
    if (seen.insert({ref.column, ref.kind}).second) select.typed_references.push_back(ref);
  }
  return select;
}

std::string ParseFailureListSql(const std::vector<TypedReference>& refs) {
  std::string list;
  for (const TypedReference& ref : refs) {
    std::string id = QuoteIdentifier(ref.column);
    std::string parsed = (ref.kind == '$' ? "mlcost_try_money(" : "mlcost_try_ts(") + id + ")";
    list += (list.empty() ? "" : ", ");
    list += "CASE WHEN mlcost_str(" + id + ") IS NOT NULL AND " + parsed + " IS NULL THEN " +
            QuoteLiteral(ref.column) + " || chr(31) || " + id + " END";
  }
  return "list_filter([" + list + "], x -> x IS NOT NULL)";
}

}  // namespace mlcost::billing
