// Renders a /api/v1/sql answer ({columns, rows, truncated}) for `mlcost sql`: an aligned text
// table or CSV. Pure functions, unit-tested.
#ifndef MLCOST_CLI_SQL_FORMAT_H_
#define MLCOST_CLI_SQL_FORMAT_H_

#include <nlohmann/json.hpp>
#include <string>

namespace mlcost::cli {

// One cell as text: strings as they are, null as "NULL", numbers and booleans as JSON writes
// them, objects and arrays as compact JSON.
std::string CellText(const nlohmann::json& cell);

// Column names, then the rows, aligned (cli/text_table.h); "(no rows)" under the header when
// there are none.
std::string SqlTable(const nlohmann::json& answer);

// RFC 4180 CSV with a header line: fields holding ',', '"', CR or LF are quoted, '"' doubled;
// null is an empty field.
std::string SqlCsv(const nlohmann::json& answer);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_SQL_FORMAT_H_
