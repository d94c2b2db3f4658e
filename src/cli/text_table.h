// TextTable: plain aligned text tables for terminal output (no borders, no colour), so the
// output stays greppable and copy-pasteable.
#ifndef MLCOST_CLI_TEXT_TABLE_H_
#define MLCOST_CLI_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace mlcost::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);

  // Adds a row; missing cells print empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // Columns separated by two spaces, each padded to its widest cell (counted in UTF-8 code
  // points); trailing spaces trimmed; one "\n" after every line. Each line starts with `indent`;
  // the header line is left out when `header` is false.
  std::string Render(const std::string& indent = "", bool header = true) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_TEXT_TABLE_H_
