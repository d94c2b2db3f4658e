#include "stagecache/dep_hasher.h"

#include <gtest/gtest.h>

#include "common/sha256.h"
#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

constexpr int64_t kFarFuture = INT64_MAX;  // every file is old enough to be memoised

TEST(DepHasherTest, FileDigestIsItsSha256) {
  testing::TempDir dir;
  testing::WriteFile(dir / "a.csv", "x,y\n1,2\n");
  auto snap = DepHasher(nullptr, 2, kFarFuture).Hash({dir / "a.csv"});
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  ASSERT_EQ(snap->deps.size(), 1u);
  EXPECT_FALSE(snap->deps[0].is_dir);
  EXPECT_EQ(snap->deps[0].sha256, Sha256Hex("x,y\n1,2\n"));
}

TEST(DepHasherTest, FolderDigestFollowsTheDocumentedTreeFormat) {
  testing::TempDir dir;
  testing::WriteFile(dir / "d/b.txt", "bb");
  testing::WriteFile(dir / "d/sub/a.txt", "a");
  auto snap = DepHasher(nullptr, 3, kFarFuture).Hash({dir / "d"});
  ASSERT_TRUE(snap.ok());
  std::string tree = "mlcost-tree/1\n";
  tree += std::string("b.txt") + '\0' + "2" + '\0' + Sha256Hex("bb") + "\n";
  tree += std::string("sub/a.txt") + '\0' + "1" + '\0' + Sha256Hex("a") + "\n";
  EXPECT_EQ(snap->deps[0].sha256, Sha256Hex(tree));
  EXPECT_EQ(snap->deps[0].files, 2u);
  EXPECT_EQ(snap->deps[0].size, 3u);
}

TEST(DepHasherTest, MemoAvoidsRereadingUnchangedFiles) {
  testing::TempDir dir;
  for (int i = 0; i < 20; ++i) testing::WriteFile(dir / ("d/f" + std::to_string(i)), std::string(1000 + i, 'x'));
  FileHashCache memo;
  DepHasher hasher(&memo, 4, kFarFuture);
  auto first = hasher.Hash({dir / "d"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->bytes_hashed, first->bytes_total);
  auto second = hasher.Hash({dir / "d"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->bytes_hashed, 0u);
  EXPECT_EQ(second->deps[0].sha256, first->deps[0].sha256);
  testing::WriteFile(dir / "d/f3", "changed");
  auto third = hasher.Hash({dir / "d"});
  EXPECT_EQ(third->bytes_hashed, 7u);  // only the changed file is read
  EXPECT_NE(third->deps[0].sha256, first->deps[0].sha256);
}

TEST(DepHasherTest, RecentFilesAreNotMemoised) {
  testing::TempDir dir;
  testing::WriteFile(dir / "a", "aaa");
  FileHashCache memo;
  ASSERT_TRUE(DepHasher(&memo, 1, /*racy_after_ns=*/0).Hash({dir / "a"}).ok());
  EXPECT_EQ(memo.size(), 0u);
}

TEST(DepHasherTest, MissingAndOddDependencies) {
  testing::TempDir dir;
  auto r = DepHasher(nullptr, 1, kFarFuture).Hash({dir / "nope.csv"});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("nope.csv"), std::string::npos);
  EXPECT_EQ(DepHasher(nullptr, 1, kFarFuture).Hash({"/dev/null"}).status().code(), StatusCode::kInvalidArgument);
}

TEST(DepHasherTest, DescribeChange) {
  testing::TempDir dir;
  testing::WriteFile(dir / "d/a", "1");
  testing::WriteFile(dir / "d/b", "2");
  auto before = DepHasher::Stat({dir / "d"});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(DepHasher::DescribeChange(*before, *DepHasher::Stat({dir / "d"})), "");
  testing::WriteFile(dir / "d/b", "22");
  EXPECT_NE(DepHasher::DescribeChange(*before, *DepHasher::Stat({dir / "d"})).find("changed"), std::string::npos);
  testing::WriteFile(dir / "d/c", "3");
  auto mid = DepHasher::Stat({dir / "d"});
  std::filesystem::remove(dir / "d/a");
  EXPECT_NE(DepHasher::DescribeChange(*mid, *DepHasher::Stat({dir / "d"})).find("removed"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::stagecache
