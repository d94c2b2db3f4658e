#include "common/byte_size.h"

#include <gtest/gtest.h>

namespace mlcost {
namespace {

constexpr ByteSizeSyntax kCacheSizes{/*fractions=*/true, /*decimal_b_units=*/false};

TEST(CommonByteSizeTest, BinaryAndDecimalUnits) {
  EXPECT_EQ(*ParseByteSize("0"), 0u);
  EXPECT_EQ(*ParseByteSize("123B"), 123u);
  EXPECT_EQ(*ParseByteSize("2k"), 2u * 1024);
  EXPECT_EQ(*ParseByteSize("3MiB"), 3u * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("20G"), 20ull * 1024 * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("2GB"), 2ull * 1000 * 1000 * 1000);
  EXPECT_EQ(*ParseByteSize("18446744073709551615"), UINT64_MAX);
}

TEST(CommonByteSizeTest, FractionsAndBinaryBUnitsWhenAsked) {
  EXPECT_EQ(*ParseByteSize("1.5GiB", kCacheSizes), 3ull * 512 * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize(".5K", kCacheSizes), 512u);
  EXPECT_EQ(*ParseByteSize("1.3K", kCacheSizes), 1331u);  // 1331.2 rounded down
  EXPECT_EQ(*ParseByteSize("5MB", kCacheSizes), 5u * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("7b", kCacheSizes), 7u);
  EXPECT_FALSE(ParseByteSize("1.5G", ByteSizeSyntax{/*fractions=*/false, /*decimal_b_units=*/true}).ok());
  EXPECT_EQ(*ParseByteSize("1.5G"), 3ull * 512 * 1024 * 1024);  // the default allows fractions
}

TEST(CommonByteSizeTest, RefusesWhatIsNotASize) {
  for (const char* bad : {"", "G", ".", "-5M", "10 G", "10X", "1.2.3K", "18446744073709551616", "20000000T"}) {
    for (ByteSizeSyntax syntax : {ByteSizeSyntax{}, kCacheSizes}) {
      auto r = ParseByteSize(bad, syntax);
      ASSERT_FALSE(r.ok()) << bad;
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(r.status().message().rfind("size '" + std::string(bad) + "'", 0), 0u) << r.status().message();
    }
  }
}

// The cases `mlcost datacache serve --max-size` was written against (default syntax).
TEST(ByteSizeTest, UnitsArePowersOf1024Or1000) {
  EXPECT_EQ(*ParseByteSize("0"), 0u);
  EXPECT_EQ(*ParseByteSize("123"), 123u);
  EXPECT_EQ(*ParseByteSize("123B"), 123u);
  EXPECT_EQ(*ParseByteSize("2K"), 2048u);
  EXPECT_EQ(*ParseByteSize("2kib"), 2048u);
  EXPECT_EQ(*ParseByteSize("3M"), 3u * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("5G"), 5ull * 1024 * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("1TiB"), 1ull << 40);
  EXPECT_EQ(*ParseByteSize("2KB"), 2000u);
  EXPECT_EQ(*ParseByteSize("7GB"), 7000000000ull);
}

TEST(ByteSizeTest, RefusesWhatIsNotASize) {
  for (const char* bad : {"", "G", "-5M", "10 G", "10X", "99999999999999999999", "20000000T"}) {
    auto r = ParseByteSize(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(r.status().message().find("size '"), std::string::npos);
    }
  }
}

TEST(CommonByteSizeTest, FormatsForPeople) {
  EXPECT_EQ(FormatByteSize(0), "0 B");
  EXPECT_EQ(FormatByteSize(1023), "1023 B");
  EXPECT_EQ(FormatByteSize(1536), "1.5 KiB");
  EXPECT_EQ(FormatByteSize(5ull << 30), "5.0 GiB");
  EXPECT_EQ(FormatByteSize(3ull << 50), "3072.0 TiB");
}

TEST(CommonDurationTest, UnitsPerSyntax) {
  EXPECT_EQ(*ParseDuration("90s"), 90 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("45m"), 45 * 60 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("1.5h"), 90 * 60 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("30d"), 30 * 86400 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("2w"), 14 * 86400 * kMicrosPerSecond);
  EXPECT_FALSE(ParseDuration("7").ok());
  EXPECT_FALSE(ParseDuration("500ms").ok());
  DurationSyntax interval{kMicrosPerSecond, /*milliseconds=*/true, /*days_and_weeks=*/false};
  EXPECT_EQ(*ParseDuration("0.5", interval), kMicrosPerSecond / 2);
  EXPECT_EQ(*ParseDuration("500ms", interval), kMicrosPerSecond / 2);
  EXPECT_EQ(*ParseDuration("0.0000005s", interval), 1);  // rounded to the nearest microsecond
  EXPECT_FALSE(ParseDuration("1d", interval).ok());
}

TEST(CommonDurationTest, RefusesWhatIsNotADuration) {
  for (const char* bad : {"", "d", "-1s", "10 s", "1x", "99999999999999999999s", "9999999999w"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("duration '" + std::string(bad) + "'", 0), 0u) << r.status().message();
  }
}

}  // namespace
}  // namespace mlcost
