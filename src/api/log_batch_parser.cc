#include "api/log_batch_parser.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

namespace mlcost::api {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Peek(char c) {
    SkipSpace();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool AtEnd() {
    SkipSpace();
    return i_ == s_.size();
  }
  // A string of printable ASCII without escapes.
  std::optional<std::string_view> String() {
    if (!Eat('"')) return std::nullopt;
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '\\' || c < 0x20 || c >= 0x80) return std::nullopt;
      ++i_;
    }
    if (i_ == s_.size()) return std::nullopt;
    return s_.substr(start, i_++ - start);
  }
  // The JSON number literal at the cursor (grammar-checked), or nullopt.
  std::optional<std::string_view> NumberLiteral(bool* is_integer) {
    SkipSpace();
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    size_t digits = i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    if (i_ == digits) return std::nullopt;
    *is_integer = true;
    if (i_ < s_.size() && s_[i_] == '.') {
      *is_integer = false;
      size_t frac = ++i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == frac) return std::nullopt;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      *is_integer = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      size_t exp = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == exp) return std::nullopt;
    }
    return s_.substr(start, i_ - start);
  }
  std::optional<int64_t> Int64() {
    bool integer = false;
    auto text = NumberLiteral(&integer);
    if (!text || !integer) return std::nullopt;
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
    return v;
  }
  // A finite number literal, or one of "NaN", "Infinity", "-Infinity".
  std::optional<double> Double() {
    if (Peek('"')) {
      auto text = String();
      if (!text) return std::nullopt;
      if (*text == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (*text == "Infinity") return std::numeric_limits<double>::infinity();
      if (*text == "-Infinity") return -std::numeric_limits<double>::infinity();
      return std::nullopt;
    }
    bool integer = false;
    auto text = NumberLiteral(&integer);
    if (!text) return std::nullopt;
    double v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
    return v;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// Runs `member(name)` for each member of an object; false if the object is malformed or a
// member callback refused.
template <typename F>
bool ForEachMember(Scanner& in, F member) {
  if (!in.Eat('{')) return false;
  if (in.Eat('}')) return true;
  do {
    auto name = in.String();
    if (!name || !in.Eat(':') || !member(*name)) return false;
  } while (in.Eat(','));
  return in.Eat('}');
}

template <typename F>
bool ForEachElement(Scanner& in, F element) {
  if (!in.Eat('[')) return false;
  if (in.Eat(']')) return true;
  do {
    if (!element()) return false;
  } while (in.Eat(','));
  return in.Eat(']');
}

bool ParseMetric(Scanner& in, Metric* m) {
  bool key = false, value = false, timestamp = false;
  bool ok = ForEachMember(in, [&](std::string_view name) {
    if (name == "key") {
      auto v = in.String();
      if (!v) return false;
      m->key = std::string(*v);
      return key = true;
    }
    if (name == "value") {
      auto v = in.Double();
      if (!v) return false;
      m->value = *v;
      return value = true;
    }
    if (name == "timestamp") {
      auto v = in.Int64();
      if (!v) return false;
      m->timestamp_ms = *v;
      return timestamp = true;
    }
    if (name == "step") {
      auto v = in.Int64();
      if (!v) return false;
      m->step = *v;
      return true;
    }
    return false;  // dataset_name, model_id, run_id ...: the general path
  });
  return ok && key && value && timestamp;
}

bool ParseKeyValue(Scanner& in, KeyValue* kv) {
  bool key = false, value = false;
  bool ok = ForEachMember(in, [&](std::string_view name) {
    auto v = in.String();
    if (!v) return false;
    if (name == "key") {
      kv->key = std::string(*v);
      return key = true;
    }
    if (name == "value") {
      kv->value = std::string(*v);
      return value = true;
    }
    return false;
  });
  return ok && key && value;
}

}  // namespace

std::optional<tracking::LogBatchRequest> FastParseLogBatch(std::string_view body) {
  Scanner in(body);
  tracking::LogBatchRequest req;
  std::string run_uuid;
  std::vector<std::string_view> seen;
  bool ok = ForEachMember(in, [&](std::string_view name) {
    // A repeated member: JSON parsers keep the last one; leave that to the general path.
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return false;
    seen.push_back(name);
    if (name == "run_id" || name == "run_uuid") {
      auto v = in.String();
      if (!v) return false;
      (name == "run_id" ? req.run_id : run_uuid) = std::string(*v);
      return true;
    }
    if (name == "metrics") {
      req.metrics.reserve(1000);
      return ForEachElement(in, [&] { return ParseMetric(in, &req.metrics.emplace_back()); });
    }
    if (name == "params" || name == "tags") {
      auto& list = name == "params" ? req.params : req.tags;
      return ForEachElement(in, [&] { return ParseKeyValue(in, &list.emplace_back()); });
    }
    return false;
  });
  if (!ok || !in.AtEnd()) return std::nullopt;
  if (req.run_id.empty()) req.run_id = std::move(run_uuid);
  if (req.run_id.empty()) return std::nullopt;  // the general path names the missing field
  return req;
}

}  // namespace mlcost::api
