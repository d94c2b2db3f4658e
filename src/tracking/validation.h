// MLflow's input validation rules (mlflow/utils/validation.py, newest release on POSIX), as pure
// functions. Each returns Status::Ok() or InvalidArgument carrying the message MLflow's own server
// sends, so the MLflow-compatible routes answer INVALID_PARAMETER_VALUE with the same text a stock
// server would. All functions are thread-safe.
//
// Lengths are counted in Unicode code points of the UTF-8 text, as Python's len(str) does.
// `path` arguments name the request field in messages, e.g. "key", or "params[3].key" inside
// log-batch (MLflow's append_to_json_path).
//
// Over-long param and run-tag VALUES: MLflow truncates them with a warning when the server's
// MLFLOW_TRUNCATE_LONG_VALUES is true (its default) and rejects them otherwise. mlcost makes the
// strict choice: the service calls ValidateParamValue / ValidateTagValue (through ValidateParam /
// ValidateTag / ValidateLogBatch) and rejects with MLflow's "exceeds the maximum length" message,
// so a value is never silently shortened. TruncateParamValue / TruncateTagValue exist for callers
// that want MLflow's lenient behaviour (e.g. an importer of old MLflow data); the service does not
// use them.
//
// Deliberate differences from Python's regexes: Python's `$` also matches before one trailing
// "\n", so MLflow accepts "loss\n" as a key or run id; mlcost rejects it. Python's `\w` is Unicode
// aware; mlcost classifies non-ASCII code points with the C.UTF-8 locale's iswalnum, which agrees
// with Python for letters and decimal digits of every script (it differs only on rare numeric
// symbols such as "½"). Missing required fields ("Missing value for required parameter 'key'.")
// are the request parser's job, not this file's.
#ifndef MLCOST_TRACKING_VALIDATION_H_
#define MLCOST_TRACKING_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlcost/records.h"
#include "mlcost/status.h"

namespace mlcost::tracking {

// MLflow's limits (validation.py and mlflow/store/tracking/__init__.py).
inline constexpr size_t kMaxEntityKeyLength = 250;  // metric, param and tag keys
inline constexpr size_t kMaxParamValueLength = 6000;
inline constexpr size_t kMaxTagValueLength = 8000;
inline constexpr size_t kMaxExperimentNameLength = 500;
inline constexpr size_t kMaxExperimentTagKeyLength = 250;
inline constexpr size_t kMaxExperimentTagValueLength = 5000;
inline constexpr size_t kMaxMetricsPerBatch = 1000;
inline constexpr size_t kMaxParamsTagsPerBatch = 100;
inline constexpr size_t kMaxEntitiesPerBatch = 1000;
inline constexpr size_t kMaxBatchLogRequestBytes = 1000000;   // int(1e6)
inline constexpr int64_t kSearchMaxResultsThreshold = 50000;  // search-runs max_results
inline constexpr int64_t kMaxExperimentsListedPerPage = 50000;

// Metric, param and tag keys: only alphanumerics, "_", "-", ".", " ", ":" and "/", and the key
// must equal its POSIX-normalised path and not be ".", start with ".." or start with "/" (so "",
// "a//b", "a/./b", "../x", "/x" and "x/" are refused). The length limit is 250 code points.
// Messages: `Invalid value "<key>" for parameter '<path>' supplied: Names may only contain ...`,
// `... Names may be treated as files ... This name would resolve to '<norm>'`, and
// `'Metric name' | 'Param key' | '<path>' exceeds the maximum length of 250 characters`.
Status ValidateMetricName(std::string_view name, std::string_view path = "name");
Status ValidateParamName(std::string_view name, std::string_view path = "key");
Status ValidateTagName(std::string_view name, std::string_view path = "key");

// Values over the limit: "'Param value' exceeds the maximum length of 6000 characters";
// "'<path>' exceeds the maximum length of 8000 characters" for run tags.
Status ValidateParamValue(std::string_view value);
Status ValidateTagValue(std::string_view value, std::string_view path = "value");

// MLflow's lenient alternative: the first 6000 (8000) code points of `value`, never splitting a
// UTF-8 sequence. Not used by the service (see the file comment).
std::string TruncateParamValue(std::string_view value);
std::string TruncateTagValue(std::string_view value);

// One param or run tag as log-parameter / set-tag / log-batch check it. `path` is the entry's
// JSON path inside a batch ("params[3]"), or "" for the single-entity endpoints.
Status ValidateParam(const KeyValue& param, std::string_view path = "");
Status ValidateTag(const KeyValue& tag, std::string_view path = "");

// A metric: valid name, timestamp >= 0 (the value may be NaN or +-Inf, the step any int64).
// Negative timestamp: `Invalid value -1 for parameter 'timestamp' supplied: metric 'loss'
// (value=0.5). Timestamp must be a nonnegative long (64-bit integer) `.
Status ValidateMetric(const Metric& metric, std::string_view path = "");

// An experiment tag: a valid tag name, key <= 250 and value <= 5000 code points.
Status ValidateExperimentTag(std::string_view key, std::string_view value);

// Non-empty ("Invalid experiment name: ''") and at most 500 code points
// ("'name' exceeds the maximum length of 500 characters").
Status ValidateExperimentName(std::string_view name);

// ^[a-zA-Z0-9][\w\-]{0,255}$, else `Invalid value "<id>" for parameter '<path>' supplied.`
Status ValidateRunId(std::string_view run_id, std::string_view path = "run_id");

// MLflow's ^[a-zA-Z0-9][\w\-]{0,63}$ and, because mlcost's experiments table keys on BIGINT, a
// non-negative decimal integer that fits in int64. Message: "Invalid experiment ID: '<id>'".
Status ValidateExperimentId(std::string_view experiment_id);
// The same check, returning the numeric id.
Result<int64_t> ParseExperimentId(std::string_view experiment_id);

// log-batch entity counts: at most 1000 metrics, 100 params, 100 tags and 1000 in total.
// "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up
// metrics across multiple requests and try again."
Status ValidateBatchLimits(size_t metrics, size_t params, size_t tags);

// The raw log-batch request body: at most 1,000,000 bytes. "Batched logging API requests must be
// at most 1000000 bytes, got a request of size N."
Status ValidateBatchBodySize(size_t bytes);

// No key twice in one batch: "Duplicate parameter keys have been submitted: ['a', 'a']. Please
// ensure the request contains only one param value per param key." (each repeat is listed).
Status ValidateParamKeysUnique(const std::vector<KeyValue>& params);

// Everything SqlAlchemyStore.log_batch checks, in its order: each metric, param and tag (paths
// "metrics[i]", "params[i]", "tags[i]"), then the counts, then duplicate param keys.
Status ValidateLogBatch(const std::vector<Metric>& metrics, const std::vector<KeyValue>& params,
                        const std::vector<KeyValue>& tags);

// search-runs max_results: 1..50000. Over the limit the message is the one MLflow's request
// handler sends: "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of
// type 'int'. See the API docs for more information about request parameters." Below 1 the
// message is the experiments one below: MLflow's store would return an empty page for 0, mlcost
// refuses it, as mlflow-go does (gt=0).
Status ValidateSearchRunsMaxResults(int64_t max_results);
// search-experiments max_results: 1..50000. "Invalid value 0 for parameter 'max_results'
// supplied. It must be a positive integer" / "... It must be at most 50000".
Status ValidateSearchExperimentsMaxResults(int64_t max_results);

// One of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED (case-sensitive, as RunStatus.from_string).
Status ValidateRunStatus(std::string_view status);

// An attempt's end cause: finished, failed, killed, crashed, oom_killed, preempted, interrupted,
// pruned. InvalidArgument listing them otherwise.
Status ValidateEndCause(std::string_view cause);

// Building blocks, exposed for tests and for messages elsewhere.

// Python's posixpath.normpath.
std::string PosixNormPath(std::string_view path);
// Number of code points in UTF-8 `s`; each invalid byte counts as one.
size_t Utf8Length(std::string_view s);
// The first `n` code points of `s`.
std::string_view Utf8Prefix(std::string_view s, size_t n);
// Python's repr(float): "0.5", "1.0", "1e-05", "1e+16", "nan", "-inf".
std::string PythonFloatRepr(double value);
// Python's json.dumps(str): double-quoted, ASCII only (\uXXXX escapes, surrogate pairs).
std::string JsonQuote(std::string_view s);
// MLflow's invalid_value(path, value, message) for a string value.
std::string InvalidValueMessage(std::string_view path, std::string_view value, std::string_view message = "");

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_VALIDATION_H_
