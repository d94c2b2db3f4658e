#include "datacache/object_path.h"

#include <gtest/gtest.h>

namespace mlcost::datacache {
namespace {

TEST(ObjectPathTest, SplitsBucketAndKey) {
  auto p = ParseObjectPath("/data/train/shard-0001.tar");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->bucket, "data");
  EXPECT_EQ(p->key, "train/shard-0001.tar");
  auto root = ParseObjectPath("/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->bucket, "");
  auto bucket = ParseObjectPath("/data");
  ASSERT_TRUE(bucket.ok());
  EXPECT_EQ(bucket->bucket, "data");
  EXPECT_EQ(bucket->key, "");
  auto dots = ParseObjectPath("/data/a..b/...");  // dots inside a name are fine
  EXPECT_TRUE(dots.ok());
}

TEST(ObjectPathTest, RefusesTraversal) {
  for (const char* bad : {"/data/../etc/passwd", "/data/a/../../b", "/../x", "/data/..", "/data/./a", "/..",
                          "/data/a\\..\\b", "relative/x"}) {
    auto p = ParseObjectPath(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(ObjectPathTest, EncodedTraversalIsCaughtAfterDecoding) {
  auto decoded = PercentDecode("/data/%2e%2e%2Fsecret");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "/data/../secret");
  EXPECT_FALSE(ParseObjectPath(*decoded).ok());
  EXPECT_FALSE(PercentDecode("/a%2").ok());
  EXPECT_FALSE(PercentDecode("/a%zz").ok());
  EXPECT_EQ(*PercentDecode("a+b%20c"), "a+b c");
}

TEST(ObjectPathTest, IdsDifferPerBucketAndKey) {
  EXPECT_NE(ObjectId({"a", "b"}), ObjectId({"a", "c"}));
  EXPECT_NE(ObjectId({"a", "b"}), ObjectId({"b", "b"}));
  EXPECT_EQ(ObjectId({"a", "b"}).size(), 64u);
}

}  // namespace
}  // namespace mlcost::datacache
