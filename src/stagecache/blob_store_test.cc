#include "stagecache/blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/sha256.h"
#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(layout_.Create().ok()); }
  testing::TempDir dir_;
  CacheLayout layout_{dir_ / "cache"};
  BlobStore blobs_{layout_};
};

TEST_F(BlobStoreTest, PutIsContentAddressedAndReadOnly) {
  testing::WriteFile(dir_ / "a", "hello");
  auto d = blobs_.Put(dir_ / "a");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->sha256, Sha256Hex("hello"));
  EXPECT_EQ(testing::ReadFile(layout_.BlobPath(d->sha256)), "hello");
  struct stat st {};
  ASSERT_EQ(::stat(layout_.BlobPath(d->sha256).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  EXPECT_TRUE(blobs_.Has(d->sha256, 5));
  EXPECT_FALSE(blobs_.Has(d->sha256, 6));
  // The source changing afterwards does not change the blob (a copy, not a link).
  testing::WriteFile(dir_ / "a", "HELLO");
  EXPECT_TRUE(blobs_.Verify(d->sha256).ok());
  EXPECT_TRUE(std::filesystem::is_empty(layout_.TmpDir()));
}

TEST_F(BlobStoreTest, RestoreCopiesOrLinks) {
  testing::WriteFile(dir_ / "a", "payload");
  auto d = blobs_.Put(dir_ / "a");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(blobs_.Restore(d->sha256, d->size, dir_ / "out/copy", RestoreMode::kCopy, true).ok());
  EXPECT_EQ(testing::ReadFile(dir_ / "out/copy"), "payload");
  struct stat st {}, blob {};
  ::stat((dir_ / "out/copy").c_str(), &st);
  ::stat(layout_.BlobPath(d->sha256).c_str(), &blob);
  EXPECT_NE(st.st_ino, blob.st_ino);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  ASSERT_TRUE(blobs_.Restore(d->sha256, d->size, dir_ / "out/link", RestoreMode::kHardlink, false).ok());
  ::stat((dir_ / "out/link").c_str(), &st);
  EXPECT_EQ(st.st_ino, blob.st_ino);
}

TEST_F(BlobStoreTest, CorruptedBlobIsDetectedOnCopyAndLeavesDestUntouched) {
  testing::WriteFile(dir_ / "a", "good bytes");
  auto d = blobs_.Put(dir_ / "a");
  ASSERT_TRUE(d.ok());
  std::string blob = layout_.BlobPath(d->sha256);
  ::chmod(blob.c_str(), 0644);
  testing::WriteFile(blob, "evil bytes");  // same size, other content
  testing::WriteFile(dir_ / "dest", "old");
  Status s = blobs_.Restore(d->sha256, d->size, dir_ / "dest", RestoreMode::kCopy, false);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("corrupted"), std::string::npos);
  EXPECT_EQ(testing::ReadFile(dir_ / "dest"), "old");
  EXPECT_FALSE(blobs_.Verify(d->sha256).ok());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 3);  // a, dest, cache
}

}  // namespace
}  // namespace mlcost::stagecache
