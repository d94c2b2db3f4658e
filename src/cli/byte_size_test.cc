#include "cli/byte_size.h"

#include <gtest/gtest.h>

namespace mlcost::cli {
namespace {

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
  for (const char* bad : {"", "G", "-5M", "1.5G", "10 G", "10X", "99999999999999999999", "20000000T"}) {
    auto r = ParseByteSize(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(r.status().message().find("size '"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mlcost::cli
