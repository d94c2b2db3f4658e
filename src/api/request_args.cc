#include "api/request_args.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace mlcost::api {
namespace {

const nlohmann::json kNull;

std::string TypeName(const nlohmann::json& v) {
  if (v.is_string()) return "str";
  if (v.is_boolean()) return "bool";
  if (v.is_number_integer()) return "int";
  if (v.is_number_float()) return "float";
  if (v.is_array()) return "list";
  if (v.is_object()) return "dict";
  return "NoneType";
}

// Rewrites bare NaN / Infinity / -Infinity tokens outside strings into the quoted strings the
// proto-JSON form uses, so nlohmann (strict RFC 8259) can parse what Python clients send.
std::string QuoteNonFiniteTokens(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < body.size()) out.push_back(body[++i]);
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    auto token = [&](std::string_view t) { return body.substr(i, t.size()) == t; };
    if (token("NaN")) { out += "\"NaN\""; i += 2; continue; }
    if (token("-Infinity")) { out += "\"-Infinity\""; i += 8; continue; }
    if (token("Infinity")) { out += "\"Infinity\""; i += 7; continue; }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Status MissingParameter(std::string_view key) {
  return InvalidArgument("Missing value for required parameter '" + std::string(key) +
                         "'. See the API docs for more information about request parameters.");
}

Status InvalidParameterType(std::string_view key, const nlohmann::json& value) {
  return InvalidArgument("Invalid value " + Dump(value) + " for parameter '" + std::string(key) +
                         "' supplied: Hint: Value was of type '" + TypeName(value) +
                         "'. See the API docs for more information about request parameters.");
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<nlohmann::json> ParseJsonObject(std::string_view body) {
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    parsed = nlohmann::json::parse(QuoteNonFiniteTokens(body), nullptr, false);
  }
  if (parsed.is_discarded()) {
    try {
      // Parsed again only for the error position; GCC warns on a (void)-discarded [[nodiscard]].
      nlohmann::json unused = nlohmann::json::parse(body);
      (void)unused;
    } catch (const nlohmann::json::parse_error& e) {
      return InvalidArgument("Malformed request body: invalid JSON at byte " + std::to_string(e.byte) + ": " +
                             e.what());
    } catch (const nlohmann::json::exception& e) {
      // e.g. out_of_range.406 for a number that overflows a double (1e400): the client's bad
      // input, never a 500 (which MLflow clients retry).
      return InvalidArgument(std::string("Malformed request body: ") + e.what());
    }
    return InvalidArgument("Malformed request body: invalid JSON");
  }
  if (!parsed.is_object()) return InvalidArgument("Malformed request body: expected a JSON object");
  return parsed;
}

Result<RequestArgs> RequestArgs::From(const ApiRequest& request) {
  if (request.method == "GET" || request.method == "HEAD" || request.body.empty()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : request.query) {
      if (!object.contains(key)) {
        object[key] = value;
      } else if (object[key].is_array()) {
        object[key].push_back(value);
      } else {
        object[key] = nlohmann::json::array({object[key], value});
      }
    }
    if (request.body.empty()) return RequestArgs(std::move(object));
  }
  ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(request.body));
  return RequestArgs(std::move(body));
}

bool RequestArgs::Has(std::string_view key) const {
  auto it = json_.find(key);
  return it != json_.end() && !it->is_null();
}

const nlohmann::json& RequestArgs::Raw(std::string_view key) const {
  auto it = json_.find(key);
  return it == json_.end() ? kNull : *it;
}

Result<std::optional<std::string>> RequestArgs::OptionalString(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  if (v.is_null()) return std::optional<std::string>();
  if (v.is_array() && v.size() == 1 && v[0].is_string()) return std::optional<std::string>(v[0].get<std::string>());
  if (!v.is_string()) return InvalidParameterType(key, v);
  return std::optional<std::string>(v.get<std::string>());
}

Result<std::string> RequestArgs::RequiredString(std::string_view key) const {
  ASSIGN_OR_RETURN(auto v, OptionalString(key));
  if (!v || v->empty()) return MissingParameter(key);
  return *v;
}

Result<std::string> RequestArgs::StringOr(std::string_view key, std::string fallback) const {
  ASSIGN_OR_RETURN(auto v, OptionalString(key));
  return v ? *v : fallback;
}

Result<int64_t> JsonToInt64(std::string_view key, const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    // Above INT64_MAX does not fit an int64 field (protobuf: "Value out of range"): refuse it
    // rather than wrap it to a negative number.
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return InvalidParameterType(key, v);
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) return out;
  }
  return InvalidParameterType(key, v);
}

Result<double> JsonToDouble(std::string_view key, const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
    double out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) return out;
  }
  return InvalidParameterType(key, v);
}

Result<std::optional<int64_t>> RequestArgs::OptionalInt64(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  if (v.is_null()) return std::optional<int64_t>();
  const nlohmann::json& one = v.is_array() && v.size() == 1 ? v[0] : v;
  ASSIGN_OR_RETURN(int64_t out, JsonToInt64(key, one));
  return std::optional<int64_t>(out);
}

Result<int64_t> RequestArgs::RequiredInt64(std::string_view key) const {
  ASSIGN_OR_RETURN(auto v, OptionalInt64(key));
  if (!v) return MissingParameter(key);
  return *v;
}

Result<double> RequestArgs::RequiredDouble(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  if (v.is_null()) return MissingParameter(key);
  return JsonToDouble(key, v.is_array() && v.size() == 1 ? v[0] : v);
}

Result<std::optional<bool>> RequestArgs::OptionalBool(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  if (v.is_null()) return std::optional<bool>();
  if (v.is_boolean()) return std::optional<bool>(v.get<bool>());
  if (v.is_string() && (v == "true" || v == "false")) return std::optional<bool>(v == "true");
  return InvalidParameterType(key, v);
}

Result<std::vector<std::string>> RequestArgs::StringList(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (v.is_string()) return std::vector<std::string>{v.get<std::string>()};
  if (!v.is_array()) return InvalidParameterType(key, v);
  for (const auto& item : v) {
    if (!item.is_string()) return InvalidParameterType(key, v);
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> RequestArgs::KeyValueList(std::string_view key) const {
  const nlohmann::json& v = Raw(key);
  std::vector<std::pair<std::string, std::string>> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return InvalidParameterType(key, v);
  for (const auto& item : v) {
    if (!item.is_object()) return InvalidParameterType(key, v);
    auto k = item.find("key");
    auto val = item.find("value");
    if (k == item.end() || !k->is_string()) return MissingParameter(std::string(key) + ".key");
    std::string value;
    if (val != item.end() && !val->is_null()) {
      if (!val->is_string()) return InvalidParameterType(std::string(key) + ".value", *val);
      value = val->get<std::string>();
    }
    out.emplace_back(k->get<std::string>(), std::move(value));
  }
  return out;
}

nlohmann::json DoubleToJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

}  // namespace mlcost::api
