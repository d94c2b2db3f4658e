#include "tracking/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace mlcost::tracking {
namespace {

using ::testing::HasSubstr;

void ExpectInvalid(const Status& s, const std::string& message) {
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message(), message);
}

// The names MLflow's own tests (tests/utils/test_validation.py) accept and refuse.
const std::vector<std::string> kGoodNames = {
    "a",       "Ab-5_",      "a/b/c",    "a.b.c", ".a",         "b.", "a..a/._./o_O/.e.",
    "a b/c d", "loss:train", "métrique", "損失",  "x/y.z-1 2_3"};
const std::vector<std::string> kBadNames = {"",           ".",
                                            "/",          "..",
                                            "//",         "a//b",
                                            "a/./b",      "/a",
                                            "err$",       "../a",
                                            "a/..",       "./a",
                                            "a/",         "..a",
                                            "a\\b",       "a\nb",
                                            "loss\n",     "tab\t",
                                            "semi;colon", "q\"uote",
                                            "emoji😀",     std::string("nul\0x", 5)};

TEST(NamesTest, AcceptsMlflowGoodNames) {
  for (const std::string& name : kGoodNames) {
    EXPECT_TRUE(ValidateMetricName(name).ok()) << name;
    EXPECT_TRUE(ValidateParamName(name).ok()) << name;
    EXPECT_TRUE(ValidateTagName(name).ok()) << name;
  }
}

TEST(NamesTest, RefusesMlflowBadNames) {
  for (const std::string& name : kBadNames) {
    EXPECT_EQ(ValidateMetricName(name).code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(ValidateParamName(name).code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(ValidateTagName(name).code(), StatusCode::kInvalidArgument) << name;
  }
}

TEST(NamesTest, BadCharacterMessageIsMlflows) {
  ExpectInvalid(ValidateParamName("err$"),
                "Invalid value \"err$\" for parameter 'key' supplied: Names may only contain alphanumerics, "
                "underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
  ExpectInvalid(ValidateMetricName("a;b"),
                "Invalid value \"a;b\" for parameter 'name' supplied: Names may only contain alphanumerics, "
                "underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
  // Non-ASCII is escaped the way json.dumps does.
  EXPECT_THAT(ValidateTagName("é😀").message(), HasSubstr("Invalid value \"\\u00e9\\ud83d\\ude00\""));
}

TEST(NamesTest, PathMessageNamesTheNormalisedPath) {
  ExpectInvalid(
      ValidateParamName("a/../b"),
      "Invalid value \"a/../b\" for parameter 'key' supplied: Names may be treated as files in certain "
      "cases, and must not resolve to other names when treated as such. This name would resolve to 'b'");
  EXPECT_THAT(ValidateTagName("").message(), HasSubstr("This name would resolve to '.'"));
  EXPECT_THAT(ValidateTagName("/abs").message(), HasSubstr("This name would resolve to '/abs'"));
  EXPECT_THAT(ValidateTagName("x//y", "tags[2].key").message(),
              HasSubstr("for parameter 'tags[2].key' supplied: Names may be treated as files"));
}

TEST(NamesTest, KeyLengthLimitIs250CodePoints) {
  EXPECT_TRUE(ValidateMetricName(std::string(250, 'k')).ok());
  ExpectInvalid(ValidateMetricName(std::string(251, 'k')),
                "'Metric name' exceeds the maximum length of 250 characters");
  ExpectInvalid(ValidateParamName(std::string(251, 'k')),
                "'Param key' exceeds the maximum length of 250 characters");
  ExpectInvalid(ValidateTagName(std::string(251, 'k')), "'key' exceeds the maximum length of 250 characters");
  // 250 two-byte characters are 500 bytes but 250 characters.
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "é";
  EXPECT_TRUE(ValidateParamName(accents).ok());
  EXPECT_FALSE(ValidateParamName(accents + "é").ok());
}

TEST(ValuesTest, ParamValueLimitIs6000) {
  EXPECT_TRUE(ValidateParamValue(std::string(6000, 'v')).ok());
  EXPECT_TRUE(ValidateParamValue("").ok());
  ExpectInvalid(ValidateParamValue(std::string(6001, 'v')),
                "'Param value' exceeds the maximum length of 6000 characters");
}

TEST(ValuesTest, TagValueLimitIs8000) {
  EXPECT_TRUE(ValidateTagValue(std::string(8000, 'v')).ok());
  ExpectInvalid(ValidateTagValue(std::string(8001, 'v')),
                "'value' exceeds the maximum length of 8000 characters");
  ExpectInvalid(ValidateTagValue(std::string(8001, 'v'), "tags[0].value"),
                "'tags[0].value' exceeds the maximum length of 8000 characters");
}

TEST(ValuesTest, TruncationKeepsWholeCodePoints) {
  EXPECT_EQ(TruncateParamValue("short"), "short");
  EXPECT_EQ(TruncateParamValue(std::string(7000, 'p')), std::string(6000, 'p'));
  EXPECT_EQ(TruncateTagValue(std::string(9000, 't')), std::string(8000, 't'));
  std::string euros;
  for (int i = 0; i < 7000; ++i) euros += "€";  // 3 bytes each
  std::string cut = TruncateParamValue(euros);
  EXPECT_EQ(cut.size(), 6000u * 3);
  EXPECT_EQ(Utf8Length(cut), 6000u);
  EXPECT_TRUE(ValidateParamValue(cut).ok());
  EXPECT_FALSE(ValidateParamValue(euros).ok());
}

TEST(EntityTest, ParamAndTagUseBatchPaths) {
  EXPECT_TRUE(ValidateParam({"lr", "0.01"}).ok());
  EXPECT_THAT(ValidateParam({"bad$", "x"}, "params[4]").message(), HasSubstr("parameter 'params[4].key'"));
  ExpectInvalid(ValidateParam({"lr", std::string(6001, 'x')}, "params[0]"),
                "'Param value' exceeds the maximum length of 6000 characters");
  EXPECT_TRUE(ValidateTag({"mlflow.runName", "wise-owl-123"}).ok());
  ExpectInvalid(ValidateTag({std::string(251, 't'), "v"}, "tags[1]"),
                "'tags[1].key' exceeds the maximum length of 250 characters");
  ExpectInvalid(ValidateTag({"t", std::string(8001, 'v')}, "tags[1]"),
                "'tags[1].value' exceeds the maximum length of 8000 characters");
}

TEST(MetricTest, AcceptsNanInfAndAnyStep) {
  Metric m{"loss", std::numeric_limits<double>::quiet_NaN(), 0, -5};
  EXPECT_TRUE(ValidateMetric(m).ok());
  m.value = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(ValidateMetric(m).ok());
  m.value = -std::numeric_limits<double>::infinity();
  m.timestamp_ms = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(ValidateMetric(m).ok());
}

TEST(MetricTest, NegativeTimestampMessage) {
  ExpectInvalid(
      ValidateMetric({"loss", 0.5, -1, 0}),
      "Invalid value -1 for parameter 'timestamp' supplied: metric 'loss' (value=0.5). Timestamp must be a "
      "nonnegative long (64-bit integer) ");
  EXPECT_THAT(
      ValidateMetric({"acc", 1, -7, 0}, "metrics[3]").message(),
      HasSubstr("Invalid value -7 for parameter 'metrics[3].timestamp' supplied: metric 'acc' (value=1.0)."));
  EXPECT_THAT(ValidateMetric({"acc", std::nan(""), -7, 0}).message(), HasSubstr("(value=nan)"));
}

TEST(MetricTest, NameChecks) {
  EXPECT_THAT(ValidateMetric({"a//b", 1, 0, 0}, "metrics[0]").message(),
              HasSubstr("for parameter 'metrics[0].name' supplied: Names may be treated as files"));
  ExpectInvalid(ValidateMetric({std::string(251, 'm'), 1, 0, 0}),
                "'Metric name' exceeds the maximum length of 250 characters");
}

TEST(ExperimentTest, Name) {
  EXPECT_TRUE(ValidateExperimentName("Default").ok());
  EXPECT_TRUE(ValidateExperimentName("/Users/me/any $ chars allowed!").ok());
  EXPECT_TRUE(ValidateExperimentName(std::string(500, 'n')).ok());
  ExpectInvalid(ValidateExperimentName(""), "Invalid experiment name: ''");
  ExpectInvalid(ValidateExperimentName(std::string(501, 'n')),
                "'name' exceeds the maximum length of 500 characters");
}

TEST(ExperimentTest, Tag) {
  EXPECT_TRUE(ValidateExperimentTag("mlflow.note.content", std::string(5000, 'x')).ok());
  ExpectInvalid(ValidateExperimentTag("k", std::string(5001, 'x')),
                "'value' exceeds the maximum length of 5000 characters");
  ExpectInvalid(ValidateExperimentTag(std::string(251, 'k'), "v"),
                "'key' exceeds the maximum length of 250 characters");
  EXPECT_THAT(ValidateExperimentTag("../k", "v").message(), HasSubstr("for parameter 'key' supplied"));
}

TEST(ExperimentTest, Id) {
  for (const char* good : {"0", "1", "42", "007", "9223372036854775807"}) {
    EXPECT_TRUE(ValidateExperimentId(good).ok()) << good;
  }
  EXPECT_EQ(*ParseExperimentId("42"), 42);
  EXPECT_EQ(*ParseExperimentId("007"), 7);
  EXPECT_EQ(*ParseExperimentId("9223372036854775807"), std::numeric_limits<int64_t>::max());
  for (const char* bad : {"", "-1", "+1", "1.5", "abc", "1a", " 1", "1 ", "9223372036854775808", "1e3"}) {
    ExpectInvalid(ValidateExperimentId(bad), std::string("Invalid experiment ID: '") + bad + "'");
  }
  // MLflow's regex caps ids at 64 characters, before the integer check.
  EXPECT_FALSE(ValidateExperimentId(std::string(65, '1')).ok());
}

TEST(RunIdTest, Pattern) {
  EXPECT_TRUE(ValidateRunId("0123456789abcdef0123456789abcdef").ok());
  EXPECT_TRUE(ValidateRunId("a").ok());
  EXPECT_TRUE(ValidateRunId("Run_1-x").ok());
  EXPECT_TRUE(ValidateRunId("a" + std::string(255, 'b')).ok());
  EXPECT_FALSE(ValidateRunId("a" + std::string(256, 'b')).ok());
  for (const char* bad : {"", "_a", "-a", "a.b", "a b", "a/b", "a\n", "../etc"}) {
    EXPECT_EQ(ValidateRunId(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  ExpectInvalid(ValidateRunId("a.b"), "Invalid value \"a.b\" for parameter 'run_id' supplied.");
  ExpectInvalid(ValidateRunId("", "run_uuid"), "Invalid value \"\" for parameter 'run_uuid' supplied.");
}

TEST(BatchTest, Limits) {
  EXPECT_TRUE(ValidateBatchLimits(0, 0, 0).ok());
  EXPECT_TRUE(ValidateBatchLimits(1000, 0, 0).ok());
  EXPECT_TRUE(ValidateBatchLimits(800, 100, 100).ok());
  ExpectInvalid(
      ValidateBatchLimits(1001, 0, 0),
      "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics "
      "across multiple requests and try again.");
  ExpectInvalid(
      ValidateBatchLimits(0, 101, 0),
      "A batch logging request can contain at most 100 params. Got 101 params. Please split up params "
      "across multiple requests and try again.");
  ExpectInvalid(
      ValidateBatchLimits(0, 0, 101),
      "A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across "
      "multiple requests and try again.");
  ExpectInvalid(
      ValidateBatchLimits(900, 100, 1),
      "A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, "
      "params, and tags. Please split up metrics, params, and tags across multiple requests and try again.");
}

TEST(BatchTest, BodySize) {
  EXPECT_TRUE(ValidateBatchBodySize(0).ok());
  EXPECT_TRUE(ValidateBatchBodySize(1000000).ok());
  ExpectInvalid(ValidateBatchBodySize(1000001),
                "Batched logging API requests must be at most 1000000 bytes, got a request of size 1000001.");
}

TEST(BatchTest, DuplicateParamKeys) {
  EXPECT_TRUE(ValidateParamKeysUnique({}).ok());
  EXPECT_TRUE(ValidateParamKeysUnique({{"a", "1"}, {"b", "1"}}).ok());
  ExpectInvalid(
      ValidateParamKeysUnique({{"a", "1"}, {"b", "2"}, {"a", "1"}, {"b", "3"}, {"a", "4"}}),
      "Duplicate parameter keys have been submitted: ['a', 'b', 'a']. Please ensure the request contains "
      "only one param value per param key.");
  EXPECT_THAT(ValidateParamKeysUnique({{"it's", "1"}, {"it's", "2"}}).message(), HasSubstr("[\"it's\"]"));
}

TEST(BatchTest, LogBatchChecksDataThenCountsThenDuplicates) {
  std::vector<Metric> metrics(3, Metric{"loss", 1.0, 10, 0});
  std::vector<KeyValue> params = {{"lr", "0.1"}, {"depth", "3"}};
  std::vector<KeyValue> tags = {{"team", "vision"}};
  EXPECT_TRUE(ValidateLogBatch(metrics, params, tags).ok());

  metrics[2].timestamp_ms = -3;
  EXPECT_THAT(ValidateLogBatch(metrics, params, tags).message(), HasSubstr("'metrics[2].timestamp'"));
  metrics[2].timestamp_ms = 3;
  params[1].key = "de/../pth";
  EXPECT_THAT(ValidateLogBatch(metrics, params, tags).message(), HasSubstr("'params[1].key'"));
  params[1].key = "depth";
  tags[0].value = std::string(8001, 'x');
  ExpectInvalid(ValidateLogBatch(metrics, params, tags),
                "'tags[0].value' exceeds the maximum length of 8000 characters");
  tags[0].value = "ok";

  // Too many metrics AND a duplicate: the count is reported first, as MLflow does.
  std::vector<Metric> many(1001, Metric{"m", 0, 0, 0});
  params.push_back({"lr", "0.2"});
  EXPECT_THAT(ValidateLogBatch(many, params, tags).message(), HasSubstr("at most 1000 metrics"));
  EXPECT_THAT(ValidateLogBatch(metrics, params, tags).message(), HasSubstr("Duplicate parameter keys"));
}

TEST(SearchTest, MaxResults) {
  EXPECT_TRUE(ValidateSearchRunsMaxResults(1).ok());
  EXPECT_TRUE(ValidateSearchRunsMaxResults(50000).ok());
  ExpectInvalid(
      ValidateSearchRunsMaxResults(50001),
      "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API "
      "docs for more information about request parameters.");
  ExpectInvalid(ValidateSearchRunsMaxResults(0),
                "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer");
  EXPECT_TRUE(ValidateSearchExperimentsMaxResults(1000).ok());
  EXPECT_TRUE(ValidateSearchExperimentsMaxResults(50000).ok());
  ExpectInvalid(ValidateSearchExperimentsMaxResults(50001),
                "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000");
  ExpectInvalid(ValidateSearchExperimentsMaxResults(-2),
                "Invalid value -2 for parameter 'max_results' supplied. It must be a positive integer");
}

TEST(RunStatusTest, KnownNames) {
  for (const char* s : {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"})
    EXPECT_TRUE(ValidateRunStatus(s).ok());
  ExpectInvalid(
      ValidateRunStatus("running"),
      "Could not get run status corresponding to string running. Valid run status strings: ['RUNNING', "
      "'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']");
  EXPECT_FALSE(ValidateRunStatus("").ok());
  EXPECT_FALSE(ValidateRunStatus("3").ok());
}

// Expected values below were produced by CPython 3's posixpath.normpath.
TEST(HelpersTest, PosixNormPathMatchesPython) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "."},         {"a", "a"},       {"a/b", "a/b"},         {"a//b", "a/b"},     {"a/./b", "a/b"},
      {"a/../b", "b"},   {"../a", "../a"}, {"/a", "/a"},           {"//a", "//a"},      {"///a", "/a"},
      {"a/", "a"},       {"./a", "a"},     {"..", ".."},           {".", "."},          {"a/..", "."},
      {"a/../..", ".."}, {"..a", "..a"},   {"a/b/../../..", ".."}, {"//a/../..", "//"}, {"/..", "/"},
      {"a/./../b/", "b"}};
  for (const auto& [in, out] : cases) EXPECT_EQ(PosixNormPath(in), out) << in;
}

// Expected values below were produced by CPython 3's repr(float).
TEST(HelpersTest, PythonFloatReprMatchesPython) {
  EXPECT_EQ(PythonFloatRepr(0.5), "0.5");
  EXPECT_EQ(PythonFloatRepr(1.0), "1.0");
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(1e-5), "1e-05");
  EXPECT_EQ(PythonFloatRepr(1e-4), "0.0001");
  EXPECT_EQ(PythonFloatRepr(123.456), "123.456");
  EXPECT_EQ(PythonFloatRepr(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(PythonFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(PythonFloatRepr(5e-324), "5e-324");
  EXPECT_EQ(PythonFloatRepr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(PythonFloatRepr(1234567890123456.7), "1234567890123456.8");
  EXPECT_EQ(PythonFloatRepr(12345678901234567.0), "1.2345678901234568e+16");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatRepr(0.0), "0.0");
  EXPECT_EQ(PythonFloatRepr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(PythonFloatRepr(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(HelpersTest, JsonQuoteMatchesPythonJsonDumps) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  // json.dumps('é中"\\\n\x01\x7f😀')
  EXPECT_EQ(JsonQuote("é中\"\\\n\x01\x7f😀"), R"("\u00e9\u4e2d\"\\\n\u0001\u007f\ud83d\ude00")");
  EXPECT_EQ(JsonQuote("\xff"), R"("\ufffd")");
}

TEST(HelpersTest, Utf8LengthAndPrefix) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("é€😀"), 3u);
  EXPECT_EQ(Utf8Length("\xff\xfe"), 2u);  // invalid bytes count one each
  EXPECT_EQ(Utf8Length("\xe2\x82"), 2u);  // truncated sequence
  EXPECT_EQ(Utf8Prefix("é€😀x", 2), "é€");
  EXPECT_EQ(Utf8Prefix("ab", 5), "ab");
  EXPECT_EQ(Utf8Prefix("ab", 0), "");
}

TEST(HelpersTest, InvalidValueMessage) {
  EXPECT_EQ(InvalidValueMessage("run_id", "x y"), "Invalid value \"x y\" for parameter 'run_id' supplied.");
  EXPECT_EQ(InvalidValueMessage("key", "k", "why"), "Invalid value \"k\" for parameter 'key' supplied: why");
}

}  // namespace
}  // namespace mlcost::tracking
