#include "sqlconsole/saved_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <sstream>
#include <vector>

#include "common/ascii.h"

namespace mlcost::sqlconsole {
namespace {

std::optional<int64_t> UnitSeconds(const std::string& unit) {
  static const auto* units = new std::map<std::string, int64_t>{
      {"s", 1},       {"sec", 1},      {"second", 1}, {"seconds", 1},   {"m", 60},        {"min", 60},
      {"minute", 60}, {"minutes", 60}, {"h", 3600},   {"hour", 3600},   {"hours", 3600},  {"d", 86400},
      {"day", 86400}, {"days", 86400}, {"w", 604800}, {"week", 604800}, {"weeks", 604800}};
  auto it = units->find(unit);
  if (it == units->end()) return std::nullopt;
  return it->second;
}

}  // namespace

Status ValidateQueryName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  if (!ok) {
    return InvalidArgument("query name '" + std::string(name) +
                           "' must be 1 to 64 letters, digits, '_' or '-' (it names the output file)");
  }
  return Status::Ok();
}

Result<ExportFormat> ParseExportFormat(std::string_view text) {
  const std::string f = AsciiLower(text);
  if (f == "csv") return ExportFormat::kCsv;
  if (f == "parquet") return ExportFormat::kParquet;
  return InvalidArgument("format '" + std::string(text) + "' is not csv or parquet");
}

std::string_view ExportFormatName(ExportFormat format) {
  return format == ExportFormat::kParquet ? "parquet" : "csv";
}

Result<int64_t> ParseInterval(std::string_view text) {
  const Status bad = InvalidArgument("interval '" + std::string(text) +
                                     "' is not like 15m, 1h, 1d, \"every 5 minutes\", hourly or daily (at "
                                     "least 1 minute, at most 366 days)");
  std::string s = AsciiLower(text);
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  if (words.empty()) return bad;
  int64_t seconds = 0;
  if (words.size() == 1 && (words[0] == "hourly" || words[0] == "daily" || words[0] == "weekly")) {
    seconds = words[0] == "hourly" ? 3600 : words[0] == "daily" ? 86400 : 604800;
  } else {
    if (words[0] == "every") words.erase(words.begin());
    std::string number, unit;
    if (words.size() == 1) {
      // "15m" or, after "every", "hour".
      const std::string& w = words[0];
      size_t digits = 0;
      while (digits < w.size() && std::isdigit(static_cast<unsigned char>(w[digits]))) ++digits;
      number = digits == 0 ? "1" : w.substr(0, digits);
      unit = w.substr(digits);
      if (digits == 0 && s.rfind("every", 0) != 0) return bad;  // a bare "hour"
    } else if (words.size() == 2) {
      number = words[0];
      unit = words[1];
    } else {
      return bad;
    }
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    auto per = UnitSeconds(unit);
    if (ec != std::errc() || ptr != number.data() + number.size() || !per || n <= 0 ||
        n > kMaxIntervalSeconds) {
      return bad;
    }
    seconds = n * *per;
  }
  if (seconds < kMinIntervalSeconds || seconds > kMaxIntervalSeconds) return bad;
  return seconds;
}

Status ValidateOutputDir(std::string_view dir) {
  const Status bad = InvalidArgument(
      "output_dir '" + std::string(dir) +
      "' must be a relative path under the export root: letters, digits, '_', '-' and '.' in names "
      "separated by '/', no name starting with '.'");
  if (dir.size() > 256) return bad;
  if (dir.empty()) return Status::Ok();
  size_t start = 0;
  while (start <= dir.size()) {
    size_t end = dir.find('/', start);
    if (end == std::string_view::npos) end = dir.size();
    std::string_view part = dir.substr(start, end - start);
    if (part.empty() || part[0] == '.') return bad;
    for (unsigned char c : part) {
      if (!std::isalnum(c) && c != '_' && c != '-' && c != '.') return bad;
    }
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace mlcost::sqlconsole
