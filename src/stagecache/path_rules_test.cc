#include "stagecache/path_rules.h"

#include <gtest/gtest.h>

namespace mlcost::stagecache {
namespace {

TEST(PathRulesTest, NormalisesRelativePaths) {
  EXPECT_EQ(*CheckRelativePath("./out//model.pt", "--out"), "out/model.pt");
  EXPECT_EQ(*CheckRelativePath("data/", "--out"), "data");
}

TEST(PathRulesTest, RejectsEscapes) {
  for (const char* bad : {"/etc/passwd", "../x", "a/../../b", "a/..", ".", "", "./"}) {
    auto r = CheckRelativePath(bad, "--out");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("--out"), std::string::npos);
  }
  EXPECT_NE(CheckRelativePath("/abs", "--out").status().message().find("absolute"), std::string::npos);
  EXPECT_NE(CheckRelativePath("a/../b", "--out").status().message().find(".."), std::string::npos);
}

TEST(PathRulesTest, UserKeys) {
  EXPECT_TRUE(CheckUserKey("prep/v2:lr=0.1").ok());
  EXPECT_TRUE(CheckUserKey("a..b").ok());  // ".." only as a path component is refused
  for (const char* bad : {"", "../x", "a/../b", "x/..", "..", "/abs", "has space", "semi;colon"}) {
    EXPECT_EQ(CheckUserKey(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(CheckUserKey(std::string(201, 'a')).ok());
}

TEST(PathRulesTest, HexDigest) {
  EXPECT_TRUE(IsHexDigest(std::string(64, 'a')));
  EXPECT_FALSE(IsHexDigest(std::string(64, 'A')));
  EXPECT_FALSE(IsHexDigest(std::string(63, 'a')));
  EXPECT_FALSE(IsHexDigest("../" + std::string(61, 'a')));
}

}  // namespace
}  // namespace mlcost::stagecache
