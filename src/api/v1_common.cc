#include "api/v1_common.h"

#include <algorithm>

#include "common/time_util.h"
#include "tracking/page_token.h"

namespace mlcost::api::v1 {
namespace {

// Calls `segment(text)` for literal text and `param(name, rest)` for each "{name}" / "{name*}".
template <typename Lit, typename Param>
void ForTemplate(std::string_view t, Lit literal, Param param) {
  size_t i = 0;
  while (i < t.size()) {
    size_t open = t.find('{', i);
    if (open == std::string_view::npos) {
      literal(t.substr(i));
      return;
    }
    literal(t.substr(i, open - i));
    size_t close = t.find('}', open);
    std::string_view name = t.substr(open + 1, close - open - 1);
    bool rest = !name.empty() && name.back() == '*';
    if (rest) name.remove_suffix(1);
    param(name, rest);
    i = close + 1;
  }
}

std::string RegexEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Status BadTime(std::string_view key, const Json& value) {
  return InvalidArgument("Invalid value " + Dump(value) + " for parameter '" + std::string(key) +
                         "': expected an ISO 8601 UTC time such as \"2026-11-26T15:04:05Z\" or integer "
                         "milliseconds since the epoch");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string TemplateToRegex(std::string_view path_template) {
  std::string out;
  ForTemplate(
      path_template, [&](std::string_view lit) { out += RegexEscape(lit); },
      [&](std::string_view, bool rest) { out += rest ? "(.+)" : "([^/]+)"; });
  return out;
}

std::string TemplateToOpenApi(std::string_view path_template) {
  std::string out;
  ForTemplate(
      path_template, [&](std::string_view lit) { out += lit; },
      [&](std::string_view name, bool) { out += "{" + std::string(name) + "}"; });
  return out;
}

void AddRoute(Router& router, const std::string& method, std::string_view path_template, Handler handler) {
  if (path_template.find('{') == std::string_view::npos) {
    router.Add(method, std::string(path_template), std::move(handler));
  } else {
    router.AddPattern(method, TemplateToRegex(path_template), std::move(handler));
  }
}

Json IsoTime(std::optional<int64_t> ms) {
  if (!ms) return nullptr;
  return FormatIso8601(*ms * kMicrosPerMilli);
}

Result<std::optional<int64_t>> OptionalTimeMs(Args args, std::string_view key) {
  const Json& raw = args.Raw(key);
  const Json& v = raw.is_array() && raw.size() == 1 ? raw[0] : raw;
  if (v.is_null()) return std::optional<int64_t>();
  if (v.is_number_integer()) {
    int64_t ms = v.get<int64_t>();
    if (ms < 0) return BadTime(key, v);
    return std::optional<int64_t>(ms);
  }
  if (!v.is_string()) return BadTime(key, v);
  const std::string& text = v.get_ref<const std::string&>();
  if (AllDigits(text) && text.size() <= 15) return std::optional<int64_t>(std::stoll(text));
  Result<Micros> t = ParseIso8601(text);
  if (!t.ok()) return BadTime(key, v);
  // Floor to milliseconds, the resolution runs are stored with.
  Micros us = *t;
  int64_t ms = us / kMicrosPerMilli - (us % kMicrosPerMilli < 0 ? 1 : 0);
  return std::optional<int64_t>(ms);
}

Status CheckKnownFields(Args args, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : args.json().items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string expected;
    for (std::string_view a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
    return InvalidArgument("unknown field '" + key + "'; expected one of: " + expected);
  }
  return Status::Ok();
}

Result<std::vector<KeyValue>> StringMap(Args args, std::string_view key) {
  const Json& v = args.Raw(key);
  std::vector<KeyValue> out;
  if (v.is_null()) return out;
  if (!v.is_object()) {
    return InvalidArgument("field '" + std::string(key) + "' must be an object of strings, got " + Dump(v));
  }
  for (const auto& [k, value] : v.items()) {
    if (!value.is_string()) {
      return InvalidArgument("field '" + std::string(key) + "." + k + "' must be a string, got " +
                             Dump(value));
    }
    out.push_back({k, value.get<std::string>()});
  }
  return out;
}

Result<tracking::ViewType> ParseView(Args args) {
  ASSIGN_OR_RETURN(auto v, args.OptionalString("view"));
  if (!v || v->empty() || *v == "active" || *v == "ACTIVE_ONLY") return tracking::ViewType::kActiveOnly;
  if (*v == "deleted" || *v == "DELETED_ONLY") return tracking::ViewType::kDeletedOnly;
  if (*v == "all" || *v == "ALL") return tracking::ViewType::kAll;
  return InvalidArgument("Invalid value \"" + *v +
                         "\" for parameter 'view': expected active, deleted or all");
}

Result<Page> ParsePage(Args args, int64_t default_max) {
  Page page;
  page.max_results = default_max;
  ASSIGN_OR_RETURN(auto max_results, args.OptionalInt64("max_results"));
  if (max_results) {
    if (*max_results < 1 || *max_results > kMaxMaxResults) {
      return InvalidArgument("Invalid value " + std::to_string(*max_results) +
                             " for parameter 'max_results': must be between 1 and " +
                             std::to_string(kMaxMaxResults));
    }
    page.max_results = *max_results;
  }
  ASSIGN_OR_RETURN(page.page_token, args.StringOr("page_token", ""));
  return page;
}

Result<std::vector<Experiment>> AllExperiments(tracking::TrackingService& tracking) {
  std::vector<Experiment> out;
  tracking::SearchExperimentsRequest req;
  req.view = tracking::ViewType::kAll;
  req.max_results = 1000;
  do {
    ASSIGN_OR_RETURN(auto page, tracking.SearchExperiments(req));
    for (Experiment& e : page.experiments) out.push_back(std::move(e));
    req.page_token = page.next_page_token;
  } while (!req.page_token.empty());
  return out;
}

Result<std::optional<std::string>> OptionalId(Args args, std::string_view key) {
  const Json& v = args.Raw(key);
  if (v.is_number_integer()) return std::optional<std::string>(std::to_string(v.get<int64_t>()));
  return args.OptionalString(key);
}

Json KeyValueObject(const std::vector<KeyValue>& items) {
  Json out = Json::object();
  for (const KeyValue& kv : items) out[kv.key] = kv.value;
  return out;
}

Result<int64_t> DecodeOffset(const std::string& token) { return tracking::DecodePageToken(token); }
std::string EncodeOffset(int64_t offset) { return tracking::EncodePageToken(offset); }

}  // namespace mlcost::api::v1
