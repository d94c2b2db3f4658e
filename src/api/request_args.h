// RequestArgs: the arguments of one API call as a JSON object — the POST body, or the query
// string of a GET (repeated keys become arrays) — with typed accessors that accept what MLflow's
// proto-JSON allows (int64 as number or string, doubles as number or "NaN"/"Infinity"/
// "-Infinity", enums as name) and produce MLflow's error messages otherwise.
#ifndef MLCOST_API_REQUEST_ARGS_H_
#define MLCOST_API_REQUEST_ARGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api_types.h"
#include "mlcost/status.h"

namespace mlcost::api {

// Parses a JSON body. Bare NaN / Infinity / -Infinity tokens (what Python's json.dumps writes)
// are accepted as those doubles. An empty body is {}. InvalidArgument naming the byte offset of
// a syntax error; InvalidArgument when the top level is not an object.
Result<nlohmann::json> ParseJsonObject(std::string_view body);

class RequestArgs {
 public:
  // Body for POST/PUT/PATCH/DELETE with a body; the query string otherwise.
  static Result<RequestArgs> From(const ApiRequest& request);
  explicit RequestArgs(nlohmann::json object) : json_(std::move(object)) {}

  bool Has(std::string_view key) const;
  // "Missing value for required parameter 'k'. See the API docs ..." when absent or empty.
  Result<std::string> RequiredString(std::string_view key) const;
  Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  Result<std::string> StringOr(std::string_view key, std::string fallback) const;
  Result<int64_t> RequiredInt64(std::string_view key) const;
  Result<std::optional<int64_t>> OptionalInt64(std::string_view key) const;
  Result<double> RequiredDouble(std::string_view key) const;
  Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  // A repeated string field; a single string counts as a list of one.
  Result<std::vector<std::string>> StringList(std::string_view key) const;
  // A repeated {key, value} message field such as tags or params.
  Result<std::vector<std::pair<std::string, std::string>>> KeyValueList(std::string_view key) const;
  // The raw JSON of a field (null when absent).
  const nlohmann::json& Raw(std::string_view key) const;
  const nlohmann::json& json() const { return json_; }

 private:
  nlohmann::json json_;
};

// MLflow's messages, shared by helpers that parse nested messages.
Status MissingParameter(std::string_view key);
Status InvalidParameterType(std::string_view key, const nlohmann::json& value);
// Number or "NaN"/"Infinity"/"-Infinity"/numeric string -> double; bool is refused as MLflow does.
Result<double> JsonToDouble(std::string_view key, const nlohmann::json& value);
Result<int64_t> JsonToInt64(std::string_view key, const nlohmann::json& value);

// A double as MLflow's server writes it: a JSON number, or "NaN" / "Infinity" / "-Infinity".
nlohmann::json DoubleToJson(double value);

// Serialises with invalid UTF-8 replaced rather than throwing.
std::string Dump(const nlohmann::json& value);

}  // namespace mlcost::api

#endif  // MLCOST_API_REQUEST_ARGS_H_
