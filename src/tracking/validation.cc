#include "tracking/validation.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>
#include <unordered_set>

namespace mlcost::tracking {
namespace {

constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at s[*i] and advances *i past it. A malformed sequence yields
// kInvalidCodePoint and advances by one byte.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  uint32_t cp = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    ++*i;
    return kInvalidCodePoint;
  }
  if (*i + len > s.size()) {
    ++*i;
    return kInvalidCodePoint;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(*i + k);
    unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (b < min || b > max) {
      ++*i;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *i += len;
  return cp;
}

// Python's str.isalnum() for one non-ASCII code point, through glibc's Unicode tables.
bool IsUnicodeAlnum(uint32_t cp) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8 != static_cast<locale_t>(0)) return iswalnum_l(static_cast<wint_t>(cp), utf8) != 0;
  // No C.UTF-8 locale: treat everything outside the common punctuation and symbol blocks as a
  // letter, so keys in any script still pass.
  return !(cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0x1F000);
}

// Python's `\w` on a str.
bool IsWordChar(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  }
  return cp != kInvalidCodePoint && IsUnicodeAlnum(cp);
}

// ^[/\w.\- :]*$ (MLflow's validate_param_and_metric_name on POSIX).
bool HasValidNameChars(std::string_view name) {
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = NextCodePoint(name, &i);
    if (!IsWordChar(cp) && cp != '/' && cp != '.' && cp != '-' && cp != ' ' && cp != ':') return false;
  }
  return true;
}

// `[\w\-]{min,max}` over the whole of `s`.
bool IsWordOrDashRun(std::string_view s, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    uint32_t cp = NextCodePoint(s, &i);
    if (!IsWordChar(cp) && cp != '-') return false;
  }
  return count <= max;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ^[a-zA-Z0-9][\w\-]{0,max_tail}$
bool MatchesIdPattern(std::string_view id, size_t max_tail) {
  return !id.empty() && IsAsciiAlnum(id.front()) && IsWordOrDashRun(id.substr(1), max_tail);
}

// MLflow's path_not_unique.
bool PathNotUnique(std::string_view name, const std::string& norm) {
  return norm != name || norm == "." || norm.rfind("..", 0) == 0 || norm.rfind('/', 0) == 0;
}

std::string AppendToJsonPath(std::string_view path, std::string_view field) {
  if (path.empty()) return std::string(field);
  if (!field.empty() && field.front() == '[') return std::string(path) + std::string(field);
  return std::string(path) + "." + std::string(field);
}

std::string ExceedsMaximumLength(std::string_view path, size_t limit) {
  return "'" + std::string(path) + "' exceeds the maximum length of " + std::to_string(limit) + " characters";
}

Status CheckLength(std::string_view entity, size_t limit, std::string_view value) {
  if (Utf8Length(value) <= limit) return Status::Ok();
  return InvalidArgument(ExceedsMaximumLength(entity, limit));
}

// Charset and path checks shared by metric, param and tag names.
Status CheckNameShape(std::string_view name, std::string_view path) {
  if (!HasValidNameChars(name)) {
    return InvalidArgument(InvalidValueMessage(
        path, name,
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), "
        "colon(:) and slashes (/)."));
  }
  std::string norm = PosixNormPath(name);
  if (PathNotUnique(name, norm)) {
    // The normalised name passed the charset check, so Python's repr() is just single quotes.
    return InvalidArgument(InvalidValueMessage(
        path, name,
        "Names may be treated as files in certain cases, and must not resolve to other names when "
        "treated as such. This name would resolve to '" +
            norm + "'"));
  }
  return Status::Ok();
}

// Python's repr(str), close enough for keys: quotes chosen as Python does, control characters
// escaped, everything else verbatim.
std::string PythonStrRepr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == quote) {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

}  // namespace

std::string PosixNormPath(std::string_view path) {
  if (path.empty()) return ".";
  int initial_slashes = 0;
  if (path.front() == '/') {
    initial_slashes = (path.size() >= 2 && path[1] == '/' && (path.size() < 3 || path[2] != '/')) ? 2 : 1;
  }
  std::vector<std::string_view> comps;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view comp = path.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != ".." || (initial_slashes == 0 && comps.empty()) || (!comps.empty() && comps.back() == "..")) {
      comps.push_back(comp);
    } else if (!comps.empty()) {
      comps.pop_back();
    }
  }
  std::string out(static_cast<size_t>(initial_slashes), '/');
  for (size_t k = 0; k < comps.size(); ++k) {
    if (k > 0) out += '/';
    out += comps[k];
  }
  return out.empty() ? "." : out;
}

size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) NextCodePoint(s, &i);
  return count;
}

std::string_view Utf8Prefix(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t count = 0; count < n && i < s.size(); ++count) NextCodePoint(s, &i);
  return s.substr(0, i);
}

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits, as Python's repr uses, then Python's layout rules.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, end);
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  int exponent = std::stoi(sci.substr(e_pos + 1));
  int decpt = exponent + 1;
  int n = static_cast<int>(digits.size());
  if (decpt > 16 || decpt <= -4) {
    std::string mantissa = digits.substr(0, 1);
    if (n > 1) mantissa += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                  exponent < 0 ? -exponent : exponent);
    return sign + mantissa + exp_buf;
  }
  if (decpt <= 0) return sign + "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  if (decpt >= n) return sign + digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
  return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = NextCodePoint(s, &i);
    if (cp == kInvalidCodePoint) cp = 0xFFFD;
    const char* escape = cp == '"'    ? "\\\""
                         : cp == '\\' ? "\\\\"
                         : cp == '\n' ? "\\n"
                         : cp == '\r' ? "\\r"
                         : cp == '\t' ? "\\t"
                         : cp == '\b' ? "\\b"
                         : cp == '\f' ? "\\f"
                                      : nullptr;
    if (escape != nullptr) {
      out += escape;
    } else if (cp >= 0x20 && cp <= 0x7E) {
      out += static_cast<char>(cp);
    } else if (cp <= 0xFFFF) {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    } else {
      uint32_t v = cp - 0x10000;
      std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
      out += buf;
    }
  }
  return out + "\"";
}

std::string InvalidValueMessage(std::string_view path, std::string_view value, std::string_view message) {
  std::string out =
      "Invalid value " + JsonQuote(value) + " for parameter '" + std::string(path) + "' supplied";
  if (message.empty()) return out + ".";
  return out + ": " + std::string(message);
}

Status ValidateMetricName(std::string_view name, std::string_view path) {
  RETURN_IF_ERROR(CheckNameShape(name, path));
  return CheckLength("Metric name", kMaxEntityKeyLength, name);
}

Status ValidateParamName(std::string_view name, std::string_view path) {
  RETURN_IF_ERROR(CheckNameShape(name, path));
  return CheckLength("Param key", kMaxEntityKeyLength, name);
}

Status ValidateTagName(std::string_view name, std::string_view path) {
  RETURN_IF_ERROR(CheckNameShape(name, path));
  return CheckLength(path, kMaxEntityKeyLength, name);
}

Status ValidateParamValue(std::string_view value) {
  return CheckLength("Param value", kMaxParamValueLength, value);
}

Status ValidateTagValue(std::string_view value, std::string_view path) {
  return CheckLength(path, kMaxTagValueLength, value);
}

std::string TruncateParamValue(std::string_view value) {
  return std::string(Utf8Prefix(value, kMaxParamValueLength));
}

std::string TruncateTagValue(std::string_view value) {
  return std::string(Utf8Prefix(value, kMaxTagValueLength));
}

Status ValidateParam(const KeyValue& param, std::string_view path) {
  RETURN_IF_ERROR(ValidateParamName(param.key, AppendToJsonPath(path, "key")));
  return ValidateParamValue(param.value);
}

Status ValidateTag(const KeyValue& tag, std::string_view path) {
  RETURN_IF_ERROR(ValidateTagName(tag.key, AppendToJsonPath(path, "key")));
  return ValidateTagValue(tag.value, AppendToJsonPath(path, "value"));
}

Status ValidateMetric(const Metric& metric, std::string_view path) {
  // MLflow's order: name shape, value (always a double here), timestamp, step, name length.
  RETURN_IF_ERROR(CheckNameShape(metric.key, AppendToJsonPath(path, "name")));
  if (metric.timestamp_ms < 0) {
    std::string path_ts = AppendToJsonPath(path, "timestamp");
    return InvalidArgument("Invalid value " + std::to_string(metric.timestamp_ms) + " for parameter '" +
                           path_ts + "' supplied: metric '" + metric.key +
                           "' (value=" + PythonFloatRepr(metric.value) +
                           "). Timestamp must be a nonnegative long (64-bit integer) ");
  }
  return CheckLength("Metric name", kMaxEntityKeyLength, metric.key);
}

Status ValidateExperimentTag(std::string_view key, std::string_view value) {
  RETURN_IF_ERROR(CheckNameShape(key, "key"));
  RETURN_IF_ERROR(CheckLength("key", kMaxExperimentTagKeyLength, key));
  return CheckLength("value", kMaxExperimentTagValueLength, value);
}

Status ValidateExperimentName(std::string_view name) {
  if (name.empty()) return InvalidArgument("Invalid experiment name: ''");
  return CheckLength("name", kMaxExperimentNameLength, name);
}

Status ValidateRunId(std::string_view run_id, std::string_view path) {
  if (MatchesIdPattern(run_id, 255)) return Status::Ok();
  return InvalidArgument(InvalidValueMessage(path, run_id));
}

Result<int64_t> ParseExperimentId(std::string_view experiment_id) {
  auto invalid = [&] {
    return InvalidArgument("Invalid experiment ID: '" + std::string(experiment_id) + "'");
  };
  if (!MatchesIdPattern(experiment_id, 63)) return invalid();
  int64_t id = 0;
  const char* first = experiment_id.data();
  const char* last = first + experiment_id.size();
  auto [ptr, ec] = std::from_chars(first, last, id);
  if (ec != std::errc() || ptr != last || id < 0) return invalid();
  return id;
}

Status ValidateExperimentId(std::string_view experiment_id) {
  return ParseExperimentId(experiment_id).status();
}

namespace {

Status CheckBatchLimit(std::string_view entity, size_t limit, size_t length) {
  if (length <= limit) return Status::Ok();
  std::string e(entity);
  return InvalidArgument("A batch logging request can contain at most " + std::to_string(limit) + " " + e +
                         ". Got " + std::to_string(length) + " " + e + ". Please split up " + e +
                         " across multiple requests and try again.");
}

}  // namespace

Status ValidateBatchLimits(size_t metrics, size_t params, size_t tags) {
  RETURN_IF_ERROR(CheckBatchLimit("metrics", kMaxMetricsPerBatch, metrics));
  RETURN_IF_ERROR(CheckBatchLimit("params", kMaxParamsTagsPerBatch, params));
  RETURN_IF_ERROR(CheckBatchLimit("tags", kMaxParamsTagsPerBatch, tags));
  return CheckBatchLimit("metrics, params, and tags", kMaxEntitiesPerBatch, metrics + params + tags);
}

Status ValidateBatchBodySize(size_t bytes) {
  if (bytes <= kMaxBatchLogRequestBytes) return Status::Ok();
  return InvalidArgument("Batched logging API requests must be at most " +
                         std::to_string(kMaxBatchLogRequestBytes) + " bytes, got a request of size " +
                         std::to_string(bytes) + ".");
}

Status ValidateParamKeysUnique(const std::vector<KeyValue>& params) {
  std::unordered_set<std::string_view> seen;
  std::string dupes;
  for (const KeyValue& p : params) {
    if (seen.insert(p.key).second) continue;
    if (!dupes.empty()) dupes += ", ";
    dupes += PythonStrRepr(p.key);
  }
  if (dupes.empty()) return Status::Ok();
  return InvalidArgument("Duplicate parameter keys have been submitted: [" + dupes +
                         "]. Please ensure the request contains only one param value per param key.");
}

Status ValidateLogBatch(const std::vector<Metric>& metrics, const std::vector<KeyValue>& params,
                        const std::vector<KeyValue>& tags) {
  // A batch repeats few metric names many times: check each name once (a name's checks do not
  // depend on the point), and the timestamp of every point.
  std::vector<std::string_view> checked_names;
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Metric& m = metrics[i];
    bool seen = std::find(checked_names.begin(), checked_names.end(), m.key) != checked_names.end();
    if (seen && m.timestamp_ms >= 0) continue;
    RETURN_IF_ERROR(ValidateMetric(m, "metrics[" + std::to_string(i) + "]"));
    if (checked_names.size() < 64) checked_names.push_back(m.key);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    RETURN_IF_ERROR(ValidateParam(params[i], "params[" + std::to_string(i) + "]"));
  }
  for (size_t i = 0; i < tags.size(); ++i) {
    RETURN_IF_ERROR(ValidateTag(tags[i], "tags[" + std::to_string(i) + "]"));
  }
  RETURN_IF_ERROR(ValidateBatchLimits(metrics.size(), params.size(), tags.size()));
  return ValidateParamKeysUnique(params);
}

namespace {

std::string NotPositiveMessage(int64_t max_results) {
  return "Invalid value " + std::to_string(max_results) +
         " for parameter 'max_results' supplied. It must be a positive integer";
}

}  // namespace

Status ValidateSearchRunsMaxResults(int64_t max_results) {
  if (max_results < 1) return InvalidArgument(NotPositiveMessage(max_results));
  if (max_results > kSearchMaxResultsThreshold) {
    return InvalidArgument(
        "Invalid value " + std::to_string(max_results) +
        " for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API "
        "docs for more information about request parameters.");
  }
  return Status::Ok();
}

Status ValidateSearchExperimentsMaxResults(int64_t max_results) {
  if (max_results < 1) return InvalidArgument(NotPositiveMessage(max_results));
  if (max_results > kMaxExperimentsListedPerPage) {
    return InvalidArgument("Invalid value " + std::to_string(max_results) +
                           " for parameter 'max_results' supplied. It must be at most " +
                           std::to_string(kMaxExperimentsListedPerPage));
  }
  return Status::Ok();
}

Status ValidateRunStatus(std::string_view status) {
  for (std::string_view known : {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"}) {
    if (status == known) return Status::Ok();
  }
  return InvalidArgument(
      "Could not get run status corresponding to string " + std::string(status) +
      ". Valid run status strings: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']");
}

Status ValidateEndCause(std::string_view cause) {
  static constexpr std::string_view kCauses[] = {"finished",  "failed",    "killed",      "crashed",
                                                 "oom_killed", "preempted", "interrupted", "pruned"};
  for (std::string_view known : kCauses) {
    if (cause == known) return Status::Ok();
  }
  return InvalidArgument("Invalid end_cause '" + std::string(cause) +
                         "'. Valid end causes: finished, failed, killed, crashed, oom_killed, preempted, "
                         "interrupted, pruned");
}

}  // namespace mlcost::tracking
