// Shared pieces of the /api/v1 handlers (docs/api.md): path templates, strict body parsing,
// ISO 8601 times, list paging. Everything here is a pure function of its arguments.
#ifndef MLCOST_API_V1_COMMON_H_
#define MLCOST_API_V1_COMMON_H_

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_types.h"
#include "api/request_args.h"
#include "api/router.h"
#include "mlcost/records.h"
#include "mlcost/status.h"
#include "tracking/tracking_service.h"

namespace mlcost::api::v1 {

using Json = nlohmann::json;
using JsonResult = Result<nlohmann::json>;
using Args = const RequestArgs&;

// Default and largest page of the /api/v1 list endpoints.
inline constexpr int64_t kDefaultMaxResults = 100;
inline constexpr int64_t kMaxMaxResults = 50000;

// "/api/v1/runs/{run_id}/metrics/{key*}" -> "/api/v1/runs/([^/]+)/metrics/(.+)": "{name}" matches
// one path segment, "{name*}" the rest of the path (keys and names may contain '/').
std::string TemplateToRegex(std::string_view path_template);
// The OpenAPI spelling of a template: "{key*}" becomes "{key}".
std::string TemplateToOpenApi(std::string_view path_template);

// Registers `handler` at a path template: exact (Router::Add) when it has no parameter, a
// pattern (Router::AddPattern) otherwise; request.captures holds the parameters in order.
void AddRoute(Router& router, const std::string& method, std::string_view path_template, Handler handler);

// Milliseconds since the epoch as "2026-11-26T15:04:05Z" (".123Z" when not whole seconds); an
// empty optional becomes JSON null.
Json IsoTime(std::optional<int64_t> ms);

// A time field given as an ISO 8601 string or as integer milliseconds since the epoch. Empty when
// absent or null. InvalidArgument naming the field for anything else.
Result<std::optional<int64_t>> OptionalTimeMs(Args args, std::string_view key);

// InvalidArgument "unknown field 'x'; expected one of: a, b" for a body field not in `allowed`.
Status CheckKnownFields(Args args, std::initializer_list<std::string_view> allowed);

// A {"k": "v", ...} object field; absent or null is empty. InvalidArgument naming the field when
// it is not an object or a value is not a string.
Result<std::vector<KeyValue>> StringMap(Args args, std::string_view key);

// view=active|deleted|all (default active), also MLflow's ACTIVE_ONLY / DELETED_ONLY / ALL.
Result<tracking::ViewType> ParseView(Args args);

struct Page {
  int64_t max_results = kDefaultMaxResults;
  std::string page_token;
};
// max_results (1..50000, default `default_max`) and page_token (default "").
Result<Page> ParsePage(Args args, int64_t default_max = kDefaultMaxResults);

// The slice of an in-memory list `page` selects, and the token of the next slice ("" at the end).
// InvalidArgument for a malformed token.
template <typename T>
Result<std::pair<std::vector<T>, std::string>> Paginate(std::vector<T> all, const Page& page);

// Every experiment, active and deleted, paging through TrackingService::SearchExperiments.
Result<std::vector<Experiment>> AllExperiments(tracking::TrackingService& tracking);

// An id field given as a string or an integer ("3" or 3); empty when absent or null.
Result<std::optional<std::string>> OptionalId(Args args, std::string_view key);

// KeyValues as a JSON object (a later duplicate key wins).
Json KeyValueObject(const std::vector<KeyValue>& items);

// Internal helpers of Paginate.
Result<int64_t> DecodeOffset(const std::string& token);
std::string EncodeOffset(int64_t offset);

template <typename T>
Result<std::pair<std::vector<T>, std::string>> Paginate(std::vector<T> all, const Page& page) {
  ASSIGN_OR_RETURN(int64_t offset, DecodeOffset(page.page_token));
  const int64_t size = static_cast<int64_t>(all.size());
  const int64_t begin = std::min(offset, size);
  const int64_t end = std::min(size, begin + page.max_results);
  std::vector<T> out(std::make_move_iterator(all.begin() + begin),
                     std::make_move_iterator(all.begin() + end));
  return std::make_pair(std::move(out), end < size ? EncodeOffset(end) : std::string());
}

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_COMMON_H_
