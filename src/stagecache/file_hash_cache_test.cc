#include "stagecache/file_hash_cache.h"

#include <gtest/gtest.h>

#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

TEST(FileHashCacheTest, SavesAndLoads) {
  testing::TempDir dir;
  FileHashCache memo;
  FileId a{1, 2, 3, 4};
  memo.Insert(a, std::string(64, 'a'), 100);
  ASSERT_TRUE(memo.Save(dir.path(), dir / "memo").ok());
  FileHashCache loaded;
  loaded.Load(dir / "memo");
  EXPECT_EQ(loaded.Lookup(a), std::optional<std::string>(std::string(64, 'a')));
  EXPECT_EQ(loaded.Lookup(FileId{1, 2, 3, 5}), std::nullopt);  // another mtime: another version
  EXPECT_EQ(loaded.Lookup(FileId{1, 2, 4, 4}), std::nullopt);  // another size
}

TEST(FileHashCacheTest, SkipsDamagedLinesAndMergesOnSave) {
  testing::TempDir dir;
  testing::WriteFile(dir / "memo", "mlcost-filehashes/1\n1 2 3 4 " + std::string(64, 'a') + " 10\n" +
                                       "garbage line\n5 6 7 8 nothex 10\n9 9 9 9 " + std::string(64, 'b'));
  FileHashCache memo;
  memo.Load(dir / "memo");
  EXPECT_EQ(memo.size(), 1u);  // the torn last line and the bad ones are skipped
  FileHashCache other;
  other.Insert(FileId{7, 7, 7, 7}, std::string(64, 'c'), 20);
  ASSERT_TRUE(other.Save(dir.path(), dir / "memo").ok());
  FileHashCache merged;
  merged.Load(dir / "memo");
  EXPECT_TRUE(merged.Lookup(FileId{1, 2, 3, 4}).has_value());
  EXPECT_TRUE(merged.Lookup(FileId{7, 7, 7, 7}).has_value());
}

TEST(FileHashCacheTest, WrongHeaderIsIgnored) {
  testing::TempDir dir;
  testing::WriteFile(dir / "memo", "mlcost-filehashes/99\n1 2 3 4 " + std::string(64, 'a') + " 10\n");
  FileHashCache memo;
  memo.Load(dir / "memo");
  EXPECT_EQ(memo.size(), 0u);
}

}  // namespace
}  // namespace mlcost::stagecache
