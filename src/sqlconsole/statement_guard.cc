#include "sqlconsole/statement_guard.h"

#include <duckdb.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "common/ascii.h"

namespace mlcost::sqlconsole {
namespace {

using Json = nlohmann::json;

Status Forbidden(const std::string& what) {
  return Status(StatusCode::kPermissionDenied,
                "forbidden in the SQL console: " + what +
                    " (it runs one read-only SELECT over mlcost's tables and views; see docs/sql.md)");
}

// Table functions that only generate values from their arguments.
const std::set<std::string>& AllowedTableFunctions() {
  static const auto* names =
      new std::set<std::string>{"range", "generate_series", "unnest", "json_each", "json_tree"};
  return *names;
}

// Scalar functions that read settings, variables or sequences, write logs or change session
// state; prefixes below cover the file readers and DuckDB's introspection functions.
bool DeniedFunction(const std::string& name, std::string* why) {
  static const auto* exact = new std::set<std::string>{"current_setting",
                                                       "getvariable",
                                                       "nextval",
                                                       "currval",
                                                       "setseed",
                                                       "write_log",
                                                       "glob",
                                                       "sniff_csv",
                                                       "query",
                                                       "query_table",
                                                       "json_execute_serialized_sql",
                                                       "which_secret",
                                                       "checkpoint",
                                                       "force_checkpoint",
                                                       "enable_logging",
                                                       "disable_logging",
                                                       "truncate_duckdb_logs",
                                                       "sql_auto_complete",
                                                       "parse_duckdb_log_message",
                                                       "histogram",
                                                       "histogram_values",
                                                       "summary",
                                                       "seq_scan",
                                                       "repeat_row",
                                                       "icu_calendar_names"};
  static const char* const kPrefixes[] = {"read_",    "duckdb_", "pragma_", "parquet_",  "arrow_", "test_",
                                          "iceberg_", "delta_",  "sqlite_", "postgres_", "mysql_"};
  if (exact->count(name) != 0) {
    *why = "function " + name + " (touches settings, state, files or other tables)";
    return true;
  }
  for (const char* prefix : kPrefixes) {
    if (name.rfind(prefix, 0) == 0) {
      *why = "function " + name + " (reads files, settings or DuckDB internals)";
      return true;
    }
  }
  return false;
}

bool IsTableRef(const Json& node) {
  return !node.contains("class") && node.contains("type") && node["type"].is_string() &&
         node.contains("alias") && node.contains("sample");
}

std::string StringField(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Unquote(std::string name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return name;
}

class AstWalker {
 public:
  Status Walk(const Json& node, const std::set<std::string>& scope) {
    if (node.is_array()) {
      for (const Json& child : node) RETURN_IF_ERROR(Walk(child, scope));
      return Status::Ok();
    }
    if (!node.is_object()) return Status::Ok();
    std::set<std::string> inner = scope;
    if (auto cte = node.find("cte_map"); cte != node.end() && cte->is_object()) {
      for (const Json& entry : cte->value("map", Json::array())) {
        if (entry.contains("key") && entry["key"].is_string())
          inner.insert(AsciiLower(entry["key"].get<std::string>()));
      }
    }
    if (IsTableRef(node)) RETURN_IF_ERROR(CheckTableRef(node, inner));
    if (auto fn = node.find("function_name"); fn != node.end() && fn->is_string()) {
      std::string why;
      if (DeniedFunction(AsciiLower(fn->get<std::string>()), &why)) return Forbidden(why);
    }
    for (const auto& [key, child] : node.items()) RETURN_IF_ERROR(Walk(child, inner));
    return Status::Ok();
  }

 private:
  static Status CheckRelation(const std::string& catalog, const std::string& schema, const std::string& table,
                              const std::set<std::string>& scope) {
    if (!catalog.empty()) return Forbidden("catalog '" + catalog + "'");
    const std::string lower = AsciiLower(table);
    if (schema.empty() && scope.count(lower) != 0) return Status::Ok();
    if (!schema.empty() && AsciiLower(schema) != "main") return Forbidden("schema '" + schema + "'");
    const auto& readable = ReadableRelations();
    if (std::find(readable.begin(), readable.end(), lower) != readable.end()) return Status::Ok();
    std::string list;
    for (const std::string& name : readable) list += (list.empty() ? "" : ", ") + name;
    return Forbidden("table '" + table + "' (not a file, not a hidden table: the console reads " + list +
                     ")");
  }

  static Status CheckTableRef(const Json& node, const std::set<std::string>& scope) {
    const std::string type = node["type"].get<std::string>();
    if (type == "BASE_TABLE") {
      return CheckRelation(StringField(node, "catalog_name"), StringField(node, "schema_name"),
                           StringField(node, "table_name"), scope);
    }
    if (type == "TABLE_FUNCTION") {
      std::string name;
      if (node.contains("function") && node["function"].is_object()) {
        name = AsciiLower(StringField(node["function"], "function_name"));
      }
      if (AllowedTableFunctions().count(name) == 0) {
        return Forbidden("table function " + (name.empty() ? std::string("?") : name) +
                         " (only range, generate_series, unnest, json_each and json_tree)");
      }
      return Status::Ok();
    }
    if (type == "SHOW_REF") {
      // DESCRIBE / SUMMARIZE of a query are checked through the query; SHOW of a name is a table.
      if (node.contains("query") && !node["query"].is_null()) return Status::Ok();
      return CheckRelation(StringField(node, "catalog_name"), StringField(node, "schema_name"),
                           Unquote(StringField(node, "table_name")), scope);
    }
    static const auto* plain =
        new std::set<std::string>{"JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY", "PIVOT"};
    if (plain->count(type) != 0) return Status::Ok();
    return Forbidden("table reference of kind " + type);
  }
};

}  // namespace

const std::vector<std::string>& ReadableRelations() {
  static const auto* names = new std::vector<std::string>{"costs",
                                                          "contract_commitments",
                                                          "ingests",
                                                          "experiments",
                                                          "experiment_tags",
                                                          "runs",
                                                          "run_attempts",
                                                          "params",
                                                          "tags",
                                                          "metrics",
                                                          "latest_metrics",
                                                          "teams",
                                                          "users",
                                                          "projects",
                                                          "allocation_rules",
                                                          "run_summary",
                                                          "run_metrics",
                                                          "metric_history"};
  return *names;
}

Status CheckSelectAst(const Json& serialized) {
  if (!serialized.is_object()) return Internal("json_serialize_sql returned no object");
  if (serialized.value("error", false)) {
    const std::string type = serialized.value("error_type", "");
    const std::string message = serialized.value("error_message", "unknown error");
    if (type == "not implemented") return Forbidden("a statement other than SELECT (" + message + ")");
    return InvalidArgument(message);
  }
  const Json& statements = serialized.contains("statements") ? serialized["statements"] : Json::array();
  if (!statements.is_array() || statements.size() != 1) {
    return InvalidArgument("one statement at a time, found " + std::to_string(statements.size()));
  }
  AstWalker walker;
  return walker.Walk(statements[0], {});
}

std::string LeadingKeyword(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (std::isspace(c) || c == '(' || c == ';') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
  }
  return word;
}

Status CheckStatement(store::Connection& conn, std::string_view sql) {
  const std::string text(sql);
  duckdb_extracted_statements extracted = nullptr;
  idx_t count = duckdb_extract_statements(conn.raw(), text.c_str(), &extracted);
  std::string parse_error;
  if (count == 0) {
    const char* err = duckdb_extract_statements_error(extracted);
    parse_error = err != nullptr ? err : "";
  }
  duckdb_destroy_extracted(&extracted);
  if (count == 0)
    return InvalidArgument(parse_error.empty() ? "empty query: give one SELECT statement" : parse_error);
  if (count > 1) {
    return InvalidArgument("one statement at a time: the text holds " + std::to_string(count) +
                           " statements");
  }
  ASSIGN_OR_RETURN(store::QueryResult r, conn.Run("SELECT json_serialize_sql(?::VARCHAR)", text));
  Json ast = Json::parse(r.GetString(0, 0), nullptr, false);
  if (ast.is_discarded()) return Internal("json_serialize_sql returned text that is not JSON");
  Status status = CheckSelectAst(ast);
  if (status.code() == StatusCode::kPermissionDenied && ast.value("error", false)) {
    // Name the statement: "DELETE is forbidden ..." says more than the serialiser's message.
    const std::string keyword = LeadingKeyword(text);
    if (!keyword.empty()) return Forbidden(keyword + " statements");
  }
  return status;
}

}  // namespace mlcost::sqlconsole
