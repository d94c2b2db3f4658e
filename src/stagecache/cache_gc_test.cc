#include "stagecache/cache_gc.h"

#include <gtest/gtest.h>

#include "common/byte_size.h"
#include "common/sha256.h"
#include "stagecache/access_log.h"
#include "stagecache/blob_store.h"
#include "stagecache/entry_index.h"
#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

constexpr Micros kDay = 86'400'000'000;

class CacheGcTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(layout_.Create().ok()); }

  // An entry `name` whose outputs have the given contents, stored and accessed at `when`.
  std::string Add(const std::string& name, const std::vector<std::string>& contents, Micros when) {
    Entry e;
    e.description = "{\"user_key\":\"" + name + "\"}";
    e.key = Sha256Hex(e.description);
    e.label = name;
    e.created_at = when;
    int i = 0;
    for (const std::string& c : contents) {
      testing::WriteFile(dir_ / "src", c);
      auto d = blobs_.Put(dir_ / "src");
      EXPECT_TRUE(d.ok());
      e.outputs.push_back({"out/" + std::to_string(i++), d->sha256, d->size, false});
    }
    EXPECT_TRUE(index_.Publish(e).ok());
    EXPECT_TRUE(access_.Record(e.key, when).ok());
    return e.key;
  }

  // Every remaining entry is valid and has all its blobs.
  void ExpectNoDanglingEntries() {
    auto keys = index_.ListKeys();
    ASSERT_TRUE(keys.ok());
    for (const std::string& key : *keys) {
      auto e = index_.Load(key);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      for (const auto& o : e->outputs) EXPECT_TRUE(blobs_.Has(o.sha256, o.size)) << key;
    }
  }

  testing::TempDir dir_;
  CacheLayout layout_{dir_ / "cache"};
  BlobStore blobs_{layout_};
  EntryIndex index_{layout_};
  AccessLog access_{layout_};
  FakeClock clock_{100 * kDay};
};

TEST_F(CacheGcTest, EvictsLeastRecentlyUsedBySize) {
  std::string a = Add("a", {std::string(100, 'a')}, 10 * kDay);
  std::string b = Add("b", {std::string(100, 'b')}, 11 * kDay);
  std::string c = Add("c", {std::string(100, 'c')}, 12 * kDay);
  ASSERT_TRUE(access_.Record(a, 13 * kDay).ok());  // a hit makes a the most recent
  GcOptions o;
  o.max_size = 150;
  auto r = CacheGc(layout_, clock_).Run(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->evicted, (std::vector<std::string>{b, c}));
  EXPECT_EQ(r->bytes_before, 300u);
  EXPECT_EQ(r->bytes_after, 100u);
  EXPECT_EQ(*index_.ListKeys(), std::vector<std::string>{a});
  EXPECT_EQ(blobs_.List()->size(), 1u);
  ExpectNoDanglingEntries();
  // The access log now holds one line for the survivor.
  EXPECT_EQ(access_.LastAccess()->size(), 1u);
}

TEST_F(CacheGcTest, SharedBlobsStayWhileReferenced) {
  std::string shared(100, 's');
  std::string a = Add("a", {shared, std::string(50, 'x')}, 10 * kDay);
  std::string b = Add("b", {shared}, 20 * kDay);
  GcOptions o;
  o.max_size = 120;  // 150 in total: evicting a frees only its own 50 bytes
  auto r = CacheGc(layout_, clock_).Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->evicted, std::vector<std::string>{a});
  EXPECT_EQ(r->bytes_after, 100u);
  EXPECT_TRUE(blobs_.Has(Sha256Hex(shared), 100));
  ExpectNoDanglingEntries();
  EXPECT_TRUE(index_.Load(b).ok());
}

TEST_F(CacheGcTest, EvictsByAge) {
  std::string old_key = Add("old", {"1"}, 50 * kDay);
  std::string new_key = Add("new", {"2"}, 99 * kDay);
  GcOptions o;
  o.max_age = 7 * kDay;
  auto r = CacheGc(layout_, clock_).Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->evicted, std::vector<std::string>{old_key});
  EXPECT_TRUE(index_.Load(new_key).ok());
  ExpectNoDanglingEntries();
}

TEST_F(CacheGcTest, RemovesBrokenEntriesAndOrphanBlobs) {
  std::string a = Add("a", {"aaa"}, 10 * kDay);
  std::string b = Add("b", {"bbb"}, 10 * kDay);
  ASSERT_TRUE(blobs_.Remove(Sha256Hex("aaa")).ok());       // a's blob vanished
  testing::WriteFile(dir_ / "orphan", "orphan");
  ASSERT_TRUE(blobs_.Put(dir_ / "orphan").ok());             // no entry references it
  testing::WriteFile(layout_.EntryPath(std::string(64, 'e')), "{\"trunc");  // a torn entry
  auto r = CacheGc(layout_, clock_).Run(GcOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invalid.size(), 2u);
  EXPECT_EQ(*index_.ListKeys(), std::vector<std::string>{b});
  EXPECT_FALSE(blobs_.Has(Sha256Hex("orphan"), 6));
  ExpectNoDanglingEntries();
  (void)a;
}

// `mlcost cache gc --max-size / --max-age` take the common syntax.
TEST(GcSizeAgeSyntaxTest, Units) {
  EXPECT_EQ(*ParseByteSize("123"), 123u);
  EXPECT_EQ(*ParseByteSize("2K"), 2048u);
  EXPECT_EQ(*ParseByteSize("1.5GiB"), 1536ull << 20);
  EXPECT_EQ(*ParseByteSize("10G"), 10ull << 30);
  EXPECT_EQ(*ParseByteSize("5MB"), 5000000u);  // as `mlcost datacache serve`: KB/MB/GB/TB are powers of 1000
  EXPECT_FALSE(ParseByteSize("ten").ok());
  EXPECT_FALSE(ParseByteSize("10X").ok());
  EXPECT_FALSE(ParseByteSize("-1").ok());
  EXPECT_EQ(*ParseDuration("2d"), 2 * kDay);
  EXPECT_EQ(*ParseDuration("90s"), 90'000'000);
  EXPECT_FALSE(ParseDuration("7").ok());
  EXPECT_FALSE(ParseDuration("d").ok());
}

}  // namespace
}  // namespace mlcost::stagecache
