#include "sqlconsole/saved_query.h"

#include <gtest/gtest.h>

namespace mlcost::sqlconsole {
namespace {

TEST(ParseIntervalTest, UnitsAndPhrases) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (const Case& c : {Case{"90s", 90}, Case{"15m", 900}, Case{"1h", 3600}, Case{"1d", 86400},
                        Case{"2w", 1209600}, Case{"every 5 minutes", 300}, Case{"every hour", 3600},
                        Case{"Every 2 Days", 172800}, Case{"every 10m", 600}, Case{"hourly", 3600},
                        Case{"daily", 86400}, Case{"weekly", 604800}, Case{"  6 hours ", 21600}}) {
    auto r = ParseInterval(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(*r, c.seconds) << c.text;
  }
}

TEST(ParseIntervalTest, RefusesWhatIsNotAnInterval) {
  for (const char* text : {"", "h", "hour", "5", "0m", "-1h", "30s", "1y", "every", "every 5", "5 parsecs",
                           "every 5 minutes please", "400d", "1.5h", "99999999999999999999h"}) {
    auto r = ParseInterval(text);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << "'" << text << "'";
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(text), std::string::npos);
    }
  }
}

TEST(SavedQueryTest, NamesFormatsAndFolders) {
  EXPECT_TRUE(ValidateQueryName("daily_costs-v2").ok());
  for (const char* bad : {"", "a/b", "..", ".hidden", "x y", "ü"}) {
    EXPECT_EQ(ValidateQueryName(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ValidateQueryName(std::string(65, 'a')).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseExportFormat("Parquet"), ExportFormat::kParquet);
  EXPECT_EQ(*ParseExportFormat("csv"), ExportFormat::kCsv);
  EXPECT_EQ(ParseExportFormat("xlsx").status().code(), StatusCode::kInvalidArgument);
  for (const char* good : {"", "bi", "bi/daily", "team-a/v1.2"})
    EXPECT_TRUE(ValidateOutputDir(good).ok()) << good;
  for (const char* bad : {"/etc", "../x", "a/../../x", "a//b", "a/", ".", "a/.git", "a b", "a\\b"}) {
    EXPECT_EQ(ValidateOutputDir(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace mlcost::sqlconsole
