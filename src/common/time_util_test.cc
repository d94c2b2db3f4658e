#include "common/time_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mlcost {
namespace {

Micros Parse(const std::string& text) {
  Result<Micros> r = ParseIso8601(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : 0;
}

// Reference instants computed with Python's datetime (UTC).
constexpr Micros kSept1 = 1725195900123456;    // 2024-09-01T13:05:00.123456Z
constexpr Micros kLeapDay = 1709164800000000;  // 2024-02-29T00:00:00Z

TEST(DaysFromCivilTest, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), kLeapDay / (86400 * kMicrosPerSecond));
  EXPECT_EQ(DaysFromCivil(1900, 1, 1), -25567);
}

TEST(FormatIso8601Test, Epoch) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatIso8601(-kMicrosPerSecond), "1969-12-31T23:59:59Z");
}

TEST(FormatIso8601Test, KnownInstants) {
  EXPECT_EQ(FormatIso8601(kSept1), "2024-09-01T13:05:00.123456Z");
  EXPECT_EQ(FormatIso8601(kLeapDay), "2024-02-29T00:00:00Z");
  EXPECT_EQ(FormatIso8601(kLeapDay + 86400 * kMicrosPerSecond), "2024-03-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(-2208988800000000), "1900-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(253402300799999999), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatIso8601(1000 * kMicrosPerMilli), "1970-01-01T00:00:01Z");
}

TEST(ParseIso8601Test, Forms) {
  EXPECT_EQ(Parse("2024-09-01T13:05:00.123456Z"), kSept1);
  EXPECT_EQ(Parse("2024-09-01 13:05:00.123456"), kSept1);  // space separator, no offset = UTC
  EXPECT_EQ(Parse("2024-09-01T13:05:00.123456z"), kSept1);
  EXPECT_EQ(Parse("2024-02-29"), kLeapDay);
  EXPECT_EQ(Parse("2024-02-29T00:00"), kLeapDay);
  EXPECT_EQ(Parse("2024-02-29T00:00:00"), kLeapDay);
  EXPECT_EQ(Parse("2024-02-29Z"), kLeapDay);
  EXPECT_EQ(Parse("1970-01-01T00:00:00.1Z"), 100000);
  EXPECT_EQ(Parse("1970-01-01T00:00:00.000001Z"), 1);
  EXPECT_EQ(Parse("1970-01-01T00:00:00.1234569Z"), 123456);  // digits past microseconds are cut
  EXPECT_EQ(Parse("1969-12-31T23:59:59.999999Z"), -1);
}

TEST(ParseIso8601Test, Offsets) {
  const Micros noon = Parse("2024-09-01T12:00:00Z");
  EXPECT_EQ(Parse("2024-09-01T14:00:00+02:00"), noon);
  EXPECT_EQ(Parse("2024-09-01T14:00:00+0200"), noon);
  EXPECT_EQ(Parse("2024-09-01T14:00:00+02"), noon);
  EXPECT_EQ(Parse("2024-09-01T06:30:00-05:30"), noon);
  EXPECT_EQ(Parse("2024-09-01T12:00:00+00:00"), noon);
  EXPECT_EQ(Parse("2024-09-01T12:00:00-00:00"), noon);
  // An offset can move the instant across a day boundary.
  EXPECT_EQ(Parse("2024-09-02T01:00:00+13:00"), noon);
  EXPECT_EQ(FormatIso8601(Parse("2024-01-01T00:30:00+01:00")), "2023-12-31T23:30:00Z");
}

TEST(ParseIso8601Test, RejectsMalformedText) {
  for (const char* bad : {"",
                          "2024",
                          "2024-9-01",
                          "2024-09-1",
                          "24-09-01",
                          "2024/09/01",
                          "2024-13-01",
                          "2024-00-10",
                          "2024-09-00",
                          "2024-09-32",
                          "2023-02-29",
                          "2024-02-30",
                          "2024-04-31",
                          "2100-02-29",
                          "2024-09-01T",
                          "2024-09-01T13",
                          "2024-09-01T24:00",
                          "2024-09-01T13:60",
                          "2024-09-01T13:05:61",
                          "2024-09-01T13:05:00.",
                          "2024-09-01T13:05:00ZZ",
                          "2024-09-01T13:05:00+",
                          "2024-09-01T13:05:00+2",
                          "2024-09-01T13:05:00+24:00",
                          "2024-09-01T13:05:00+02:60",
                          "2024-09-01T13:05:00 UTC",
                          "2024-09-01x",
                          " 2024-09-01",
                          "2024-09-01T13:05:00.12a"}) {
    Result<Micros> r = ParseIso8601(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "' parsed as " << (r.ok() ? FormatIso8601(*r) : "");
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(r.status().message(), "'" + std::string(bad) + "' is not an ISO 8601 UTC time");
    }
  }
}

TEST(ParseIso8601Test, LeapYearsFollowTheGregorianRule) {
  EXPECT_TRUE(ParseIso8601("2000-02-29").ok());   // divisible by 400
  EXPECT_FALSE(ParseIso8601("1900-02-29").ok());  // divisible by 100 only
  EXPECT_TRUE(ParseIso8601("2028-02-29").ok());
  EXPECT_TRUE(ParseIso8601("2024-12-31").ok());
}

TEST(Iso8601RoundTripTest, FormatThenParseIsIdentity) {
  std::vector<Micros> instants = {0,
                                  1,
                                  -1,
                                  kSept1,
                                  kLeapDay,
                                  -2208988800000000,
                                  253402300799999999,
                                  951782400000000 /* 2000-02-29 */,
                                  4102444800000000 /* 2100-01-01 */};
  // A spread of instants over four centuries, with every microsecond digit exercised.
  for (Micros t = -2208988800000000; t < 253402300799999999; t += 7777777777777 + 123457)
    instants.push_back(t);
  for (Micros t : instants) {
    std::string text = FormatIso8601(t);
    Result<Micros> back = ParseIso8601(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, t) << text;
  }
}

TEST(Iso8601RoundTripTest, ParseThenFormatNormalisesToUtc) {
  EXPECT_EQ(FormatIso8601(Parse("2024-09-01T15:05:00.5+02:00")), "2024-09-01T13:05:00.500000Z");
  EXPECT_EQ(FormatIso8601(Parse("2024-09-01")), "2024-09-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(Parse("2024-09-01 13:05")), "2024-09-01T13:05:00Z");
}

}  // namespace
}  // namespace mlcost
