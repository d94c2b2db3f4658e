#include "checkpoint/manifest.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace mlcost::checkpoint {
namespace {

using Json = nlohmann::json;

bool NameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool IsLowerHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status Bad(std::string_view name, const std::string& what) {
  return InvalidArgument("MANIFEST.json of '" + std::string(name) + "': " + what);
}

}  // namespace

Status ValidateCheckpointName(std::string_view name) {
  if (name.empty() || name.size() > 200) {
    return InvalidArgument("checkpoint name '" + std::string(name) + "' must be 1-200 characters long");
  }
  if (name.front() == '.')
    return InvalidArgument("checkpoint name '" + std::string(name) + "' must not start with '.'");
  for (char c : name) {
    if (!NameChar(c)) {
      return InvalidArgument("checkpoint name '" + std::string(name) +
                             "' may only contain A-Z a-z 0-9 . _ -");
    }
  }
  return Status::Ok();
}

Status ValidateDataPath(std::string_view path) {
  auto bad = [&](const char* why) {
    return InvalidArgument("checkpoint file path '" + std::string(path) + "' " + why);
  };
  if (path.empty()) return bad("is empty");
  if (path.front() == '/') return bad("must be relative");
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return bad("must not contain NUL or '\\'");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg.empty()) return bad("has an empty segment");
    if (seg == "." || seg == "..") return bad("must not contain '.' or '..' segments");
    start = end + 1;
  }
  return Status::Ok();
}

std::string SanitizeCheckpointName(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(NameChar(c) ? c : '_');
  size_t dots = out.find_first_not_of('.');
  out = dots == std::string::npos ? "" : out.substr(dots);
  if (out.size() > 200) out.resize(200);
  return out.empty() ? "checkpoint" : out;
}

std::optional<int64_t> StepFromFileName(std::string_view file_name) {
  size_t start = file_name.find_first_of("0123456789");
  if (start == std::string_view::npos) return std::nullopt;
  int64_t value = 0;
  for (size_t i = start; i < file_name.size() && file_name[i] >= '0' && file_name[i] <= '9'; ++i) {
    int digit = file_name[i] - '0';
    if (value > (INT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string FormatCreatedAt(Micros t) {
  Micros frac = ((t % kMicrosPerSecond) + kMicrosPerSecond) % kMicrosPerSecond;
  std::string whole = FormatIso8601(t - frac);  // "...:SSZ"
  char digits[8];
  std::snprintf(digits, sizeof(digits), ".%06lld", static_cast<long long>(frac));
  return whole.substr(0, whole.size() - 1) + digits + "Z";
}

Result<Manifest> ParseManifest(std::string_view text, std::string_view expected_name) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad(expected_name, "not valid JSON");
  if (!j.is_object()) return Bad(expected_name, "not a JSON object");
  Manifest m;
  if (!j.contains("format") || !j["format"].is_string() ||
      j["format"].get<std::string>() != kManifestFormat) {
    return Bad(expected_name, "\"format\" must be \"" + std::string(kManifestFormat) + "\"");
  }
  if (!j.contains("name") || !j["name"].is_string()) return Bad(expected_name, "\"name\" must be a string");
  m.name = j["name"].get<std::string>();
  if (Status s = ValidateCheckpointName(m.name); !s.ok()) return Bad(expected_name, s.message());
  if (m.name != expected_name) {
    return Bad(expected_name, "\"name\" is '" + m.name + "', not the directory's name");
  }
  if (!j.contains("created_at") || !j["created_at"].is_string()) {
    return Bad(expected_name, "\"created_at\" must be an ISO 8601 string");
  }
  m.created_at = j["created_at"].get<std::string>();
  auto created = ParseIso8601(m.created_at);
  if (!created.ok()) return Bad(expected_name, "\"created_at\": " + created.status().message());
  m.created_at_us = *created;
  if (j.contains("step") && !j["step"].is_null()) {
    if (!j["step"].is_number_integer()) return Bad(expected_name, "\"step\" must be an integer or null");
    m.step = j["step"].get<int64_t>();
  }
  if (j.contains("metrics")) {
    if (!j["metrics"].is_object()) return Bad(expected_name, "\"metrics\" must be an object");
    for (const auto& [k, v] : j["metrics"].items()) {
      if (!v.is_number()) return Bad(expected_name, "metric '" + k + "' must be a number");
      m.metrics[k] = v.get<double>();
    }
  }
  if (!j.contains("files") || !j["files"].is_array() || j["files"].empty()) {
    return Bad(expected_name, "\"files\" must be a non-empty array");
  }
  std::set<std::string> seen;
  for (const Json& f : j["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string()) {
      return Bad(expected_name, "every file needs a string \"path\"");
    }
    ManifestFile mf;
    mf.path = f["path"].get<std::string>();
    if (Status s = ValidateDataPath(mf.path); !s.ok()) return Bad(expected_name, s.message());
    if (!seen.insert(mf.path).second) return Bad(expected_name, "file '" + mf.path + "' is listed twice");
    if (!f.contains("size") || !f["size"].is_number_integer() || f["size"].get<int64_t>() < 0) {
      return Bad(expected_name, "file '" + mf.path + "': \"size\" must be a non-negative integer");
    }
    mf.size = f["size"].get<uint64_t>();
    if (!f.contains("sha256") || !f["sha256"].is_string() || !IsLowerHex64(f["sha256"].get<std::string>())) {
      return Bad(expected_name, "file '" + mf.path + "': \"sha256\" must be 64 lowercase hex digits");
    }
    mf.sha256 = f["sha256"].get<std::string>();
    m.files.push_back(std::move(mf));
  }
  return m;
}

std::string ManifestToJson(const Manifest& m) {
  using Ordered = nlohmann::ordered_json;  // keys in the contract's order
  Ordered files = Ordered::array();
  for (const ManifestFile& f : m.files) {
    Ordered file = Ordered::object();
    file["path"] = f.path;
    file["size"] = f.size;
    file["sha256"] = f.sha256;
    files.push_back(std::move(file));
  }
  Ordered metrics = Ordered::object();
  for (const auto& [k, v] : m.metrics) metrics[k] = v;
  Ordered j = Ordered::object();
  j["format"] = kManifestFormat;
  j["name"] = m.name;
  j["created_at"] = m.created_at;
  j["step"] = m.step.has_value() ? Ordered(*m.step) : Ordered(nullptr);
  j["metrics"] = metrics;
  j["files"] = files;
  return j.dump(2) + "\n";
}

bool CheckpointOlder(const Manifest& a, const Manifest& b) {
  auto step = [](const Manifest& m) { return std::make_pair(m.step.has_value(), m.step.value_or(0)); };
  return std::make_tuple(a.created_at_us, step(a), std::cref(a.name)) <
         std::make_tuple(b.created_at_us, step(b), std::cref(b.name));
}

}  // namespace mlcost::checkpoint
