#include "bench/history_checker.h"

#include <charconv>
#include <utility>

#include <nlohmann/json.hpp>

#include "bench/point_encoder.h"

namespace mlcost::bench {

namespace {

constexpr std::string_view kStepField = "\"step\"";
constexpr std::string_view kTimestampField = "\"timestamp\"";
constexpr std::string_view kTokenField = "\"next_page_token\"";

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i;
}

// Position just after `"name"` and its colon, or npos when that occurrence is not a field name.
size_t ValueStart(std::string_view body, size_t name_pos, size_t name_len) {
  size_t i = SkipSpace(body, name_pos + name_len);
  if (i >= body.size() || body[i] != ':') return std::string_view::npos;
  return SkipSpace(body, i + 1);
}

// MLflow clients accept int64 as a JSON number or a string; so do we.
bool ReadInt64(const nlohmann::json& v, int64_t& out) {
  if (v.is_number_integer()) {
    out = v.get<int64_t>();
    return true;
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  }
  return false;
}

}  // namespace

HistoryChecker::HistoryChecker(Series series, int64_t expected_points)
    : series_(std::move(series)),
      expected_(expected_points),
      seen_(static_cast<size_t>(expected_points) + 1, false) {}

std::string HistoryChecker::Where() const {
  return "run " + series_.run_id + " key " + series_.key;
}

Status HistoryChecker::Mark(int64_t step) {
  if (step < 1 || step > expected_) {
    return Internal(Where() + ": step " + std::to_string(step) + " was never acknowledged (" +
                    std::to_string(expected_) + " points were)");
  }
  if (seen_[static_cast<size_t>(step)]) {
    return Internal(Where() + ": step " + std::to_string(step) + " returned twice");
  }
  seen_[static_cast<size_t>(step)] = true;
  ++points_;
  return Status::Ok();
}

Status HistoryChecker::AddPage(std::string_view body, bool full) {
  if (full) {
    nlohmann::json page = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (page.is_discarded() || !page.is_object()) {
      return Internal(Where() + ": get-history answer is not a JSON object: " +
                      std::string(body.substr(0, 200)));
    }
    auto metrics = page.find("metrics");
    if (metrics == page.end()) return Status::Ok();  // proto3 JSON omits empty repeated fields
    if (!metrics->is_array()) return Internal(Where() + ": \"metrics\" is not an array");
    for (const nlohmann::json& m : *metrics) {
      int64_t step = 0;
      int64_t timestamp = 0;
      std::string dump = m.dump();
      if (!m.is_object() || m.value("key", "") != series_.key ||
          !ReadInt64(m.value("step", nlohmann::json()), step) ||
          !ReadInt64(m.value("timestamp", nlohmann::json()), timestamp) ||
          !m.value("value", nlohmann::json()).is_number() ||
          (m.contains("run_id") && m["run_id"] != series_.run_id)) {
        return Internal(Where() + ": malformed metric " + dump);
      }
      if (timestamp != PointTimestamp(series_.base_timestamp_ms, step) ||
          m["value"].get<double>() != PointValue(step)) {
        return Internal(Where() + ": metric " + dump + " is not the point sent with step " +
                        std::to_string(step));
      }
      RETURN_IF_ERROR(Mark(step));
    }
    return Status::Ok();
  }

  int64_t steps = 0;
  for (size_t pos = body.find(kStepField); pos != std::string_view::npos;
       pos = body.find(kStepField, pos + kStepField.size())) {
    size_t v = ValueStart(body, pos, kStepField.size());
    if (v == std::string_view::npos) continue;
    if (v < body.size() && body[v] == '"') ++v;
    int64_t step = 0;
    auto [end, ec] = std::from_chars(body.data() + v, body.data() + body.size(), step);
    if (ec != std::errc()) {
      return Internal(Where() + ": unreadable step near: " + std::string(body.substr(pos, 60)));
    }
    RETURN_IF_ERROR(Mark(step));
    ++steps;
  }
  int64_t timestamps = 0;
  for (size_t pos = body.find(kTimestampField); pos != std::string_view::npos;
       pos = body.find(kTimestampField, pos + kTimestampField.size())) {
    if (ValueStart(body, pos, kTimestampField.size()) != std::string_view::npos) ++timestamps;
  }
  if (timestamps != steps) {
    return Internal(Where() + ": a page holds " + std::to_string(timestamps) +
                    " timestamps but " + std::to_string(steps) + " steps");
  }
  return Status::Ok();
}

Status HistoryChecker::Finish() const {
  if (points_ == expected_) return Status::Ok();
  int64_t first_missing = 0;
  for (int64_t s = 1; s <= expected_; ++s) {
    if (!seen_[static_cast<size_t>(s)]) {
      first_missing = s;
      break;
    }
  }
  return Internal(Where() + ": get-history returned " + std::to_string(points_) +
                  " points, but " + std::to_string(expected_) +
                  " were acknowledged; first missing step " + std::to_string(first_missing));
}

Result<std::string> HistoryChecker::NextPageToken(std::string_view body) {
  for (size_t pos = body.find(kTokenField); pos != std::string_view::npos;
       pos = body.find(kTokenField, pos + kTokenField.size())) {
    size_t v = ValueStart(body, pos, kTokenField.size());
    if (v == std::string_view::npos) continue;
    if (v >= body.size() || body[v] != '"') {
      if (body.substr(v, 4) == "null") return std::string();
      return Internal("next_page_token is not a string: " + std::string(body.substr(pos, 80)));
    }
    size_t close = body.find('"', v + 1);
    if (close == std::string_view::npos) return Internal("unterminated next_page_token");
    std::string_view raw = body.substr(v, close - v + 1);
    if (raw.find('\\') == std::string_view::npos) return std::string(raw.substr(1, raw.size() - 2));
    // Escapes are rare enough to let the JSON library find the true end of the string.
    nlohmann::json page = nlohmann::json::parse(body, nullptr, false);
    if (page.is_discarded() || !page.contains("next_page_token")) {
      return Internal("unparsable get-history answer around next_page_token");
    }
    return page["next_page_token"].get<std::string>();
  }
  return std::string();
}

}  // namespace mlcost::bench
