#include "bench/history_checker.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bench/point_encoder.h"

namespace mlcost::bench {
namespace {

const Series kSeries{"run-1", "loss", 1000};

// A get-history answer holding the points first..first+count-1 as the client sent them.
std::string Page(int64_t first, int count, const std::string& token = "") {
  PointEncoder encoder(kSeries.run_id, kSeries.key, kSeries.base_timestamp_ms);
  nlohmann::json batch = nlohmann::json::parse(encoder.LogBatch(first, count));
  nlohmann::json page = {{"metrics", batch["metrics"]}};
  if (!token.empty()) page["next_page_token"] = token;
  return page.dump(2);  // pretty, so the scanner meets whitespace
}

TEST(HistoryCheckerTest, AcceptsExactHistoryInBothModes) {
  for (bool full : {true, false}) {
    HistoryChecker checker(kSeries, 5);
    ASSERT_TRUE(checker.AddPage(Page(3, 3), full).ok());
    ASSERT_TRUE(checker.AddPage(Page(1, 2), full).ok());
    EXPECT_TRUE(checker.Finish().ok());
    EXPECT_EQ(checker.points(), 5);
  }
}

TEST(HistoryCheckerTest, ReportsMissingDuplicateAndUnknownSteps) {
  HistoryChecker missing(kSeries, 4);
  ASSERT_TRUE(missing.AddPage(Page(1, 3), false).ok());
  Status s = missing.Finish();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("first missing step 4"), std::string::npos) << s.message();

  HistoryChecker twice(kSeries, 4);
  ASSERT_TRUE(twice.AddPage(Page(1, 2), false).ok());
  EXPECT_FALSE(twice.AddPage(Page(2, 1), false).ok());

  HistoryChecker unknown(kSeries, 2);
  EXPECT_FALSE(unknown.AddPage(Page(2, 2), true).ok());
}

TEST(HistoryCheckerTest, FullModeChecksValuesAndTimestamps) {
  HistoryChecker checker(kSeries, 1);
  std::string wrong =
      R"({"metrics":[{"key":"loss","value":1.5,"timestamp":999,"step":1}]})";
  EXPECT_FALSE(checker.AddPage(wrong, true).ok());
  std::string as_strings =
      R"({"metrics":[{"key":"loss","value":1.5,"timestamp":"1001","step":"1"}]})";
  EXPECT_TRUE(checker.AddPage(as_strings, true).ok());
}

TEST(HistoryCheckerTest, EmptyAnswerHasNoPoints) {
  HistoryChecker checker(kSeries, 0);
  EXPECT_TRUE(checker.AddPage("{}", true).ok());
  EXPECT_TRUE(checker.Finish().ok());
}

TEST(HistoryCheckerTest, NextPageToken) {
  EXPECT_EQ(*HistoryChecker::NextPageToken(Page(1, 2, "abc=")), "abc=");
  EXPECT_EQ(*HistoryChecker::NextPageToken(Page(1, 2)), "");
  EXPECT_EQ(*HistoryChecker::NextPageToken(R"({"next_page_token": null})"), "");
  EXPECT_EQ(*HistoryChecker::NextPageToken(R"({"next_page_token":"a\"b"})"), "a\"b");
}

}  // namespace
}  // namespace mlcost::bench
