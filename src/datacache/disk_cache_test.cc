#include "datacache/disk_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace mlcost::datacache {
namespace {

namespace fs = std::filesystem;

class DiskCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("datacache_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<DiskCache> OpenCache(uint64_t max_bytes, uint64_t min_free = 0,
                                       std::function<Result<uint64_t>()> free_bytes = nullptr) {
    auto cache = DiskCache::Open({dir_.string(), max_bytes, min_free, std::move(free_bytes)}, clock_);
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(*cache) : nullptr;
  }

  // Inserts `bytes` as object `key` (id = key) and returns the pinned file.
  std::shared_ptr<CachedFile> Put(DiskCache& cache, const std::string& key, const std::string& bytes) {
    auto temp = cache.CreateTemp();
    EXPECT_TRUE(temp.ok());
    EXPECT_EQ(::write(temp->fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::close(temp->fd);
    ObjectMeta meta{"bucket", key, "\"etag-" + key + "\"", bytes.size(), "text/plain", "", clock_.Now()};
    auto file = cache.Insert(Id(key), meta, temp->path);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    return file.ok() ? *file : nullptr;
  }

  static std::string Id(const std::string& key) { return std::string(64 - key.size(), '0') + key; }

  bool Cached(DiskCache& cache, const std::string& key) {
    auto f = cache.Lookup(Id(key));
    return f.ok() && *f != nullptr;
  }

  fs::path dir_;
  FakeClock clock_{1'700'000'000LL * kMicrosPerSecond};
};

TEST_F(DiskCacheTest, InsertThenLookupServesTheBytesAndMeta) {
  auto cache = OpenCache(1000);
  Put(*cache, "a", "hello world").reset();
  auto file = cache->Lookup(Id("a"));
  ASSERT_TRUE(file.ok());
  ASSERT_NE(*file, nullptr);
  EXPECT_EQ(std::string((*file)->data(), (*file)->size()), "hello world");
  EXPECT_EQ((*file)->meta().etag, "\"etag-a\"");
  EXPECT_EQ(cache->bytes(), 11u);
  EXPECT_EQ(cache->objects(), 1u);
  auto missing = cache->Lookup(Id("b"));
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, nullptr);
}

TEST_F(DiskCacheTest, EvictsLeastRecentlyUsedByBytes) {
  auto cache = OpenCache(30);
  Put(*cache, "a", std::string(10, 'a')).reset();
  Put(*cache, "b", std::string(10, 'b')).reset();
  Put(*cache, "c", std::string(10, 'c')).reset();
  EXPECT_TRUE(Cached(*cache, "a"));  // a is now the most recently used; b the least
  Put(*cache, "d", std::string(10, 'd')).reset();
  EXPECT_FALSE(Cached(*cache, "b"));
  EXPECT_TRUE(Cached(*cache, "a"));
  EXPECT_TRUE(Cached(*cache, "c"));
  EXPECT_TRUE(Cached(*cache, "d"));
  EXPECT_LE(cache->bytes(), 30u);
}

TEST_F(DiskCacheTest, NeverEvictsAnObjectBeingServed) {
  auto cache = OpenCache(20);
  auto pinned = Put(*cache, "a", std::string(10, 'a'));  // held, like a response in flight
  Put(*cache, "b", std::string(10, 'b')).reset();
  Put(*cache, "c", std::string(10, 'c')).reset();
  EXPECT_TRUE(Cached(*cache, "a"));
  EXPECT_FALSE(Cached(*cache, "b"));
  // A removed object stays readable to whoever holds it.
  cache->Remove(Id("a"));
  EXPECT_FALSE(Cached(*cache, "a"));
  EXPECT_EQ(std::string(pinned->data(), pinned->size()), std::string(10, 'a'));
}

TEST_F(DiskCacheTest, KeepsTheFreeSpaceFloor) {
  // A fake 100-byte file system that holds nothing but the cache's 20-byte objects. (The free
  // space function is called with the cache's lock held, so it counts through the listener.)
  std::atomic<int> stored{0};
  auto cache = OpenCache(1000, 70, [&]() -> Result<uint64_t> { return 100 - 20 * stored.load(); });
  cache->set_eviction_listener([&](uint64_t) { --stored; });
  ++stored;
  Put(*cache, "a", std::string(20, 'a')).reset();
  EXPECT_TRUE(Cached(*cache, "a"));  // free 80 >= 70
  ++stored;
  Put(*cache, "b", std::string(20, 'b')).reset();  // free 60 < 70: a goes
  EXPECT_FALSE(Cached(*cache, "a"));
  EXPECT_TRUE(Cached(*cache, "b"));
  EXPECT_EQ(stored.load(), 1);
}

TEST_F(DiskCacheTest, RefusesObjectsLargerThanTheCache) {
  auto cache = OpenCache(5);
  auto temp = cache->CreateTemp();
  ASSERT_TRUE(temp.ok());
  ASSERT_EQ(::write(temp->fd, "0123456789", 10), 10);
  ::close(temp->fd);
  auto file = cache->Insert(Id("big"), {"bucket", "big", "\"e\"", 10, "", "", 0}, temp->path);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kTooLarge);
  auto uncached = DiskCache::OpenUncached(temp->path, {"bucket", "big", "\"e\"", 10, "", "", 0});
  ASSERT_TRUE(uncached.ok());
  EXPECT_EQ(std::string((*uncached)->data(), 10), "0123456789");
  EXPECT_FALSE(fs::exists(temp->path));
}

TEST_F(DiskCacheTest, SurvivesRestartWithItsLruOrderAndDropsIncompleteEntries) {
  {
    auto cache = OpenCache(30);
    Put(*cache, "a", std::string(10, 'a')).reset();
    Put(*cache, "b", std::string(10, 'b')).reset();
    Put(*cache, "c", std::string(10, 'c')).reset();
    // Make the on-disk access order explicit: b oldest, then c, then a.
    auto touch = [&](const std::string& key, int64_t s) {
      std::string meta = (dir_ / "objects" / Id(key).substr(0, 2) / (Id(key) + ".meta")).string();
      fs::last_write_time(meta, fs::file_time_type::clock::now() - std::chrono::seconds(s));
    };
    touch("b", 300);
    touch("c", 200);
    touch("a", 100);
  }
  // A download that crashed before its meta was written, and a stray temp file.
  fs::path orphan = dir_ / "objects" / "ff" / std::string(64, 'f');
  fs::create_directories(orphan.parent_path());
  std::ofstream(orphan) << "partial";
  std::ofstream(dir_ / "tmp" / "123-1") << "partial";
  auto cache = OpenCache(30);
  EXPECT_EQ(cache->objects(), 3u);
  EXPECT_EQ(cache->bytes(), 30u);
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_FALSE(fs::exists(dir_ / "tmp" / "123-1"));
  Put(*cache, "d", std::string(10, 'd')).reset();
  EXPECT_FALSE(Cached(*cache, "b"));
  EXPECT_TRUE(Cached(*cache, "a"));
  EXPECT_TRUE(Cached(*cache, "c"));
}

TEST_F(DiskCacheTest, OneProcessPerDirectoryAndCorruptMetaIsDropped) {
  auto cache = OpenCache(100);
  Put(*cache, "a", "xyz").reset();
  auto second = DiskCache::Open({dir_.string(), 100, 0, nullptr}, clock_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  cache.reset();
  std::ofstream(dir_ / "objects" / Id("a").substr(0, 2) / (Id("a") + ".meta")) << "{not json";
  cache = OpenCache(100);
  EXPECT_EQ(cache->objects(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "objects" / Id("a").substr(0, 2) / Id("a")));
}

TEST_F(DiskCacheTest, AVanishedFileIsAnErrorOnceThenAMiss) {
  auto cache = OpenCache(100);
  Put(*cache, "a", "xyz").reset();
  fs::remove(dir_ / "objects" / Id("a").substr(0, 2) / Id("a"));  // a disk that lost the file
  auto broken = cache->Lookup(Id("a"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kNotFound);  // ENOENT, named
  EXPECT_NE(broken.status().message().find(Id("a")), std::string::npos);
  auto again = cache->Lookup(Id("a"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, nullptr);
  EXPECT_EQ(cache->bytes(), 0u);
}

TEST_F(DiskCacheTest, AnUnwritableTempDirectoryIsAnError) {
  auto cache = OpenCache(100);
  fs::remove_all(dir_ / "tmp");
  std::ofstream(dir_ / "tmp") << "a file where the directory was";
  auto temp = cache->CreateTemp();
  ASSERT_FALSE(temp.ok());
  EXPECT_EQ(temp.status().code(), StatusCode::kInternal);
}

TEST_F(DiskCacheTest, MarkValidatedPersists) {
  {
    auto cache = OpenCache(100);
    Put(*cache, "a", "xyz").reset();
    ASSERT_TRUE(cache->MarkValidated(Id("a"), 12345).ok());
    EXPECT_EQ(cache->MarkValidated(Id("zz"), 1).code(), StatusCode::kNotFound);
  }
  auto cache = OpenCache(100);
  auto file = cache->Lookup(Id("a"));
  ASSERT_TRUE(file.ok() && *file != nullptr);
  EXPECT_EQ((*file)->meta().validated_at, 12345);
}

}  // namespace
}  // namespace mlcost::datacache
