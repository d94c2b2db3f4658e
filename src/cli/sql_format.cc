#include "cli/sql_format.h"

#include <vector>

#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

using Json = nlohmann::json;

const Json& Columns(const Json& answer) {
  static const Json* empty = new Json(Json::array());
  return answer.is_object() && answer.contains("columns") && answer["columns"].is_array() ? answer["columns"]
                                                                                          : *empty;
}

const Json& Rows(const Json& answer) {
  static const Json* empty = new Json(Json::array());
  return answer.is_object() && answer.contains("rows") && answer["rows"].is_array() ? answer["rows"] : *empty;
}

std::vector<std::string> Names(const Json& answer) {
  std::vector<std::string> names;
  for (const Json& c : Columns(answer)) {
    names.push_back(
        c.is_object() && c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>() : "");
  }
  return names;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CellText(const Json& cell) {
  if (cell.is_null()) return "NULL";
  if (cell.is_string()) return cell.get<std::string>();
  return cell.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string SqlTable(const Json& answer) {
  TextTable table(Names(answer));
  for (const Json& row : Rows(answer)) {
    std::vector<std::string> cells;
    if (row.is_array()) {
      for (const Json& cell : row) cells.push_back(CellText(cell));
    }
    table.AddRow(std::move(cells));
  }
  std::string out = table.Render();
  if (table.rows() == 0) out += "(no rows)\n";
  return out;
}

std::string SqlCsv(const Json& answer) {
  std::string out;
  const std::vector<std::string> names = Names(answer);
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + CsvField(names[i]);
  out += "\n";
  for (const Json& row : Rows(answer)) {
    if (!row.is_array()) continue;
    for (size_t i = 0; i < row.size(); ++i) {
      out += (i ? "," : "") + (row[i].is_null() ? std::string() : CsvField(CellText(row[i])));
    }
    out += "\n";
  }
  return out;
}

}  // namespace mlcost::cli
