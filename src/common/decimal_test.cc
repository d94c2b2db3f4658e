#include "common/decimal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/money.h"

namespace mlcost {
namespace {

Decimal D(const std::string& text) {
  Result<Decimal> r = Decimal::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : Decimal();
}

int128 Units(const std::string& text) { return D(text).units(); }

constexpr int128 kTrillion = 1000000000000LL;

TEST(DecimalParseTest, PlainForms) {
  EXPECT_EQ(Units("12"), 12 * kTrillion);
  EXPECT_EQ(Units("-0.000001234"), -1234000);
  EXPECT_EQ(Units("+3."), 3 * kTrillion);
  EXPECT_EQ(Units(".5"), kTrillion / 2);
  EXPECT_EQ(Units("0"), 0);
  EXPECT_EQ(Units("-0"), 0);
  EXPECT_EQ(Units("000123.4500"), 123450000000000);
  EXPECT_EQ(Units("  7.25\t\r"), 7250000000000);  // surrounding blanks are trimmed
  EXPECT_EQ(Units("0.000000000001"), 1);          // one unit, the smallest step
}

TEST(DecimalParseTest, Exponents) {
  EXPECT_EQ(Units("1.5e-7"), 150000);
  EXPECT_EQ(Units("1E3"), 1000 * kTrillion);
  EXPECT_EQ(Units("2.5e+2"), 250 * kTrillion);
  EXPECT_EQ(Units("-4e0"), -4 * kTrillion);
  EXPECT_EQ(Units("123e-14"), 1);  // 1.23 units rounds to 1
  EXPECT_EQ(Units("1e-400"), 0);   // far below half a unit
  EXPECT_EQ(Units("0.001e3"), kTrillion);
}

// Values checked against Python's decimal module, quantize(1e-12, ROUND_HALF_EVEN).
TEST(DecimalParseTest, RoundsHalfEvenAtTheThirteenthDigit) {
  EXPECT_EQ(Units("0.0000000000015"), 2);  // 1.5 -> 2 (up to even)
  EXPECT_EQ(Units("0.0000000000025"), 2);  // 2.5 -> 2 (down to even)
  EXPECT_EQ(Units("0.0000000000035"), 4);
  EXPECT_EQ(Units("0.00000000000250001"), 3);  // above half
  EXPECT_EQ(Units("0.0000000000024999"), 2);   // below half
  EXPECT_EQ(Units("-0.0000000000015"), -2);    // symmetric for negatives
  EXPECT_EQ(Units("-0.0000000000025"), -2);
  EXPECT_EQ(Units("5e-13"), 0);
  EXPECT_EQ(Units("6e-13"), 1);
  EXPECT_EQ(D("123.4567890123455").ToString(), "123.456789012346");
  EXPECT_EQ(D("123.4567890123465").ToString(), "123.456789012346");
  EXPECT_EQ(D("9.9999999999995").ToString(), "10");
  EXPECT_EQ(D("0.1234567890123456789012345678901234567890").ToString(), "0.123456789012");
}

TEST(DecimalParseTest, ThirtyEightDigitsFitAndThirtyNineDoNot) {
  // 26 integer digits + 12 fraction digits = 38: DECIMAL(38,12)'s largest value.
  const std::string max = "99999999999999999999999999.999999999999";
  EXPECT_EQ(Units(max), Decimal::kMaxUnits);
  EXPECT_EQ(Units("-" + max), -Decimal::kMaxUnits);
  EXPECT_EQ(D(max).ToString(), max);
  for (const std::string& bad :
       {std::string("100000000000000000000000000"), std::string("1e26"), std::string("-1e30"),
        std::string("1e400"), std::string("99999999999999999999999999.9999999999995")}) {
    Result<Decimal> r = Decimal::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("'" + bad + "'"), std::string::npos) << r.status().message();
  }
}

TEST(DecimalParseTest, RejectsGarbage) {
  for (const char* bad : {"", "   ", "-", "+", ".", "NaN", "inf", "1,5", "1.2.3", "1e", "1e+", "e5", "0x10",
                          "1 2", "--1", "12abc", "1e5.5", "$3"}) {
    Result<Decimal> r = Decimal::Parse(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(r.status().message().find("is not a decimal number"), std::string::npos);
    }
  }
}

TEST(DecimalTest, AMillionTinyValuesSumExactly) {
  Decimal tiny = D("0.0000000001");
  Decimal sum;
  double float_sum = 0;
  for (int i = 0; i < 1000000; ++i) {
    sum += tiny;
    float_sum += 0.0000000001;
  }
  EXPECT_EQ(sum, D("0.0001"));
  EXPECT_EQ(sum.ToString(), "0.0001");
  EXPECT_NE(float_sum, 0.0001);  // what a binary float would have reported instead
}

TEST(DecimalTest, BillLinesSumToTheCent) {
  // 3 lines of 0.333333333333 are not 1, but 300000 lines of 0.0000033333 are 0.99999 exactly.
  Decimal sum;
  for (int i = 0; i < 300000; ++i) sum += D("0.0000033333");
  EXPECT_EQ(sum.ToString(), "0.99999");
  EXPECT_EQ(sum.ToFixed(2), "1.00");
}

TEST(DecimalTest, ToStringDropsTrailingZeros) {
  EXPECT_EQ(D("1.50").ToString(), "1.5");
  EXPECT_EQ(D("-2").ToString(), "-2");
  EXPECT_EQ(D("100").ToString(), "100");
  EXPECT_EQ(D("0").ToString(), "0");
  EXPECT_EQ(D("-0.000000000001").ToString(), "-0.000000000001");
  EXPECT_EQ(D("0.1").ToString(), "0.1");
  EXPECT_EQ(Decimal::FromInt(-42).ToString(), "-42");
  EXPECT_EQ(Decimal::FromUnits(1).ToString(), "0.000000000001");
}

TEST(DecimalTest, ToFixedRoundsHalfEven) {
  EXPECT_EQ(D("1.5").ToFixed(2), "1.50");
  EXPECT_EQ(D("1.005").ToFixed(2), "1.00");
  EXPECT_EQ(D("1.015").ToFixed(2), "1.02");
  EXPECT_EQ(D("1.0051").ToFixed(2), "1.01");
  EXPECT_EQ(D("-1.005").ToFixed(2), "-1.00");
  EXPECT_EQ(D("-1.015").ToFixed(2), "-1.02");
  EXPECT_EQ(D("-0.004").ToFixed(2), "0.00");  // never "-0.00"
  EXPECT_EQ(D("-0.006").ToFixed(2), "-0.01");
  EXPECT_EQ(D("2.5").ToFixed(0), "2");
  EXPECT_EQ(D("3.5").ToFixed(0), "4");
  EXPECT_EQ(D("0.05").ToFixed(1), "0.0");
  EXPECT_EQ(D("0.000000000001").ToFixed(12), "0.000000000001");
  EXPECT_EQ(D("7").ToFixed(12), "7.000000000000");
  EXPECT_EQ(D("1.25").ToFixed(-3), "1");               // clamped to 0 digits
  EXPECT_EQ(D("1.25").ToFixed(99), "1.250000000000");  // clamped to 12
}

TEST(DecimalTest, Round) {
  EXPECT_EQ(D("2.675").Round(2), D("2.68"));
  EXPECT_EQ(D("2.665").Round(2), D("2.66"));
  EXPECT_EQ(D("-2.675").Round(2), D("-2.68"));
  EXPECT_EQ(D("1234.5").Round(0), D("1234"));
}

TEST(DecimalTest, Arithmetic) {
  EXPECT_EQ(D("1.1") + D("2.2"), D("3.3"));  // 3.3000000000000003 in binary floats
  EXPECT_EQ(D("1") - D("0.000000000001"), D("0.999999999999"));
  EXPECT_EQ(-D("5"), D("-5"));
  Decimal d = D("10");
  d -= D("0.5");
  EXPECT_EQ(d, D("9.5"));
  EXPECT_EQ(D("0.25").MulInt(4), D("1"));
  EXPECT_EQ(D("-0.25").MulInt(3), D("-0.75"));
  EXPECT_LT(D("-1"), D("0.000000000001"));
  EXPECT_GT(D("2"), D("1.999999999999"));
  EXPECT_TRUE(D("0.0").IsZero());
  EXPECT_FALSE(D("0.000000000001").IsZero());
}

// Expected products checked with Python's decimal module.
TEST(DecimalTest, MultiplicationRoundsHalfEven) {
  EXPECT_EQ(D("1.5") * D("2"), D("3"));
  EXPECT_EQ(D("3.06") * D("0.25"), D("0.765"));  // an hourly price times a quarter hour
  EXPECT_EQ((D("1.23456789") * D("9.87654321")).ToString(), "12.193263111264");
  EXPECT_EQ((D("-1.23456789") * D("9.87654321")).ToString(), "-12.193263111264");
  EXPECT_EQ((D("0.000001") * D("0.000001")).units(), 1);
  EXPECT_EQ((D("0.0000005") * D("0.000001")).units(), 0);  // 0.5 unit -> 0 (even)
  EXPECT_EQ((D("0.0000015") * D("0.000001")).units(), 2);  // 1.5 units -> 2
  EXPECT_EQ((D("0.0000025") * D("0.000001")).units(), 2);  // 2.5 units -> 2
  EXPECT_EQ((D("-0.0000015") * D("0.000001")).units(), -2);
  EXPECT_EQ(D("100000000000000") * D("0.01"), D("1000000000000"));  // 10^14 still fits
}

TEST(DecimalDeathTest, MultiplicationOverflowAborts) {
  Decimal big = D("100000000000000");  // 10^14: 10^26 units; squared needs 10^52 > 2^127
  EXPECT_DEATH((void)(big * big), "Decimal multiplication overflow");
}

TEST(DecimalTest, DivIntRoundsHalfEven) {
  EXPECT_EQ(D("1").DivInt(3).ToString(), "0.333333333333");
  EXPECT_EQ(D("2").DivInt(3).ToString(), "0.666666666667");
  EXPECT_EQ(D("-2").DivInt(3).ToString(), "-0.666666666667");
  EXPECT_EQ(Decimal::FromUnits(5).DivInt(2).units(), 2);  // 2.5 -> 2
  EXPECT_EQ(Decimal::FromUnits(7).DivInt(2).units(), 4);  // 3.5 -> 4
  EXPECT_EQ(Decimal::FromUnits(-7).DivInt(2).units(), -4);
  EXPECT_EQ(D("100").DivInt(4), D("25"));
  EXPECT_EQ(D("42").DivInt(1), D("42"));
}

TEST(DecimalTest, DivRoundHalfEven) {
  EXPECT_EQ(DivRoundHalfEven(10, 4), 2);  // 2.5 -> 2
  EXPECT_EQ(DivRoundHalfEven(14, 4), 4);  // 3.5 -> 4
  EXPECT_EQ(DivRoundHalfEven(11, 4), 3);  // 2.75 -> 3
  EXPECT_EQ(DivRoundHalfEven(9, 4), 2);   // 2.25 -> 2
  EXPECT_EQ(DivRoundHalfEven(-10, 4), -2);
  EXPECT_EQ(DivRoundHalfEven(-14, 4), -4);
  EXPECT_EQ(DivRoundHalfEven(-11, 4), -3);
  EXPECT_EQ(DivRoundHalfEven(12, 4), 3);
  EXPECT_EQ(DivRoundHalfEven(0, 7), 0);
}

TEST(DecimalTest, ToDouble) {
  EXPECT_DOUBLE_EQ(D("1.5").ToDouble(), 1.5);
  EXPECT_DOUBLE_EQ(D("-0.000001").ToDouble(), -0.000001);
  EXPECT_DOUBLE_EQ(D("0").ToDouble(), 0.0);
}

TEST(MoneyTest, AddsSameCurrencyOnly) {
  Money a{D("1.25"), "USD"};
  ASSERT_TRUE(a.Add(Money{D("0.75"), "USD"}).ok());
  EXPECT_EQ(a.amount, D("2"));
  Status s = a.Add(Money{D("1"), "EUR"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "cannot add EUR to USD");
  EXPECT_EQ(a.amount, D("2"));  // unchanged on error
  EXPECT_EQ(a, (Money{D("2"), "USD"}));
}

}  // namespace
}  // namespace mlcost
