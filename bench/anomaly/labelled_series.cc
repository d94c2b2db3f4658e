#include "anomaly/labelled_series.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/time_util.h"

namespace mlcost::bench {
namespace {

namespace fs = std::filesystem;

std::string Unquote(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) out.push_back(Unquote(cell));
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

struct RawSeries {
  std::vector<Micros> times;
  std::vector<Decimal> values;
  std::vector<bool> missing;
  std::vector<bool> labels;
};

// Reads "time,value[,label]" rows after a header line.
Result<RawSeries> ReadCsv(const fs::path& path, bool with_label) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open " + path.string());
  RawSeries s;
  std::string line;
  std::getline(in, line);  // header
  int64_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> cells = SplitCsvLine(line);
    const std::string where = path.string() + ":" + std::to_string(line_no);
    if (cells.size() < (with_label ? 3u : 2u)) return InvalidArgument(where + ": too few fields");
    auto t = ParseIso8601(cells[0]);
    if (!t.ok()) return InvalidArgument(where + ": " + t.status().message());
    s.times.push_back(*t);
    if (cells[1].empty()) {
      s.values.push_back(s.values.empty() ? Decimal() : s.values.back());
      s.missing.push_back(true);
    } else {
      auto v = Decimal::Parse(cells[1]);
      if (!v.ok()) return InvalidArgument(where + ": " + v.status().message());
      s.values.push_back(*v);
      s.missing.push_back(false);
    }
    s.labels.push_back(with_label && cells[2] == "1");
  }
  if (s.times.size() < 2) return InvalidArgument(path.string() + ": fewer than two rows");
  return s;
}

LabelledSeries FromRaw(std::string name, RawSeries raw) {
  LabelledSeries s;
  s.name = std::move(name);
  s.step_seconds = (raw.times[1] - raw.times[0]) / kMicrosPerSecond;
  s.values = std::move(raw.values);
  s.missing = std::move(raw.missing);
  for (size_t i = 0; i < raw.labels.size(); ++i) {
    if (!raw.labels[i]) continue;
    if (i > 0 && raw.labels[i - 1]) {
      s.windows.back().last = static_cast<int64_t>(i);
    } else {
      s.windows.push_back(Window{static_cast<int64_t>(i), static_cast<int64_t>(i), ""});
    }
  }
  return s;
}

std::vector<fs::path> SortedCsvs(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".csv") out.push_back(e.path());
    }
  } else {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".csv") out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<LabelledSeries>> ReadNab(const std::string& dir) {
  const fs::path labels_path = fs::path(dir) / "labels" / "combined_windows.json";
  std::ifstream labels_in(labels_path);
  if (!labels_in) return NotFound("cannot open " + labels_path.string());
  nlohmann::json labels = nlohmann::json::parse(labels_in, nullptr, false);
  if (labels.is_discarded() || !labels.is_object()) return InvalidArgument(labels_path.string() + ": not a JSON object");
  std::vector<LabelledSeries> out;
  for (const fs::path& csv : SortedCsvs(fs::path(dir) / "data" / "realAWSCloudwatch", false)) {
    ASSIGN_OR_RETURN(RawSeries raw, ReadCsv(csv, false));
    const std::string key = "realAWSCloudwatch/" + csv.filename().string();
    std::vector<Micros> times = raw.times;
    LabelledSeries s = FromRaw(csv.stem().string(), std::move(raw));
    const nlohmann::json& windows = labels.contains(key) ? labels[key] : nlohmann::json::array();
    for (const nlohmann::json& w : windows) {
      if (!w.is_array() || w.size() != 2 || !w[0].is_string() || !w[1].is_string()) {
        return InvalidArgument(labels_path.string() + ": bad window for " + key);
      }
      ASSIGN_OR_RETURN(Micros from, ParseIso8601(w[0].get<std::string>()));
      ASSIGN_OR_RETURN(Micros to, ParseIso8601(w[1].get<std::string>()));
      const auto first = std::lower_bound(times.begin(), times.end(), from) - times.begin();
      const auto last = std::upper_bound(times.begin(), times.end(), to) - times.begin() - 1;
      if (first <= last) s.windows.push_back(Window{first, last, ""});
    }
    out.push_back(std::move(s));
  }
  if (out.empty()) return NotFound("no NAB CSVs under " + dir);
  return out;
}

Result<std::vector<LabelledSeries>> ReadMsCloudMonitoring(const std::string& dir) {
  std::vector<LabelledSeries> out;
  for (const fs::path& csv : SortedCsvs(fs::path(dir) / "data", true)) {
    ASSIGN_OR_RETURN(RawSeries raw, ReadCsv(csv, true));
    out.push_back(FromRaw(csv.parent_path().filename().string() + "/" + csv.stem().string(), std::move(raw)));
  }
  if (out.empty()) return NotFound("no CSVs under " + dir + "/data");
  return out;
}

}  // namespace mlcost::bench
