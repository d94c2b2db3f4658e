// RemoteCache against a real s3rver (tests/node/node_modules; ./setup.sh installs it).
#include "stagecache/remote_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "s3/s3rver_process.h"
#include "stagecache/entry_index.h"
#include "stagecache/stage_cache.h"
#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

class RemoteCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* src = std::getenv("MLCOST_SOURCE_DIR");
    std::string binary = s3::S3rverProcess::FindBinary(src == nullptr ? "." : src);
    if (binary.empty()) return;
    dir_ = new testing::TempDir();
    auto server = s3::S3rverProcess::Start(binary, *dir_ / "s3rver");
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "s3rver did not start; ./setup.sh installs it into tests/node";
    ::setenv("AWS_ACCESS_KEY_ID", "S3RVER", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "S3RVER", 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    s3::S3Config config = *s3::S3Config::FromEnvironment(server_->endpoint());
    bucket_ = "stagecache-" + std::to_string(counter_++);
    ASSERT_TRUE(s3::S3Client(config).CreateBucket(bucket_).ok());
    testing::WriteFile(work_ / "in.txt", "input\n");
  }
  std::string Uri() const { return "s3://" + bucket_ + "/team/cache"; }
  RunRequest Stage() {
    RunRequest r;
    r.argv = {"sh", "-c", "mkdir -p out; cat in.txt in.txt > out/b.txt"};
    r.deps = {"in.txt"};
    r.outs = {"out"};
    return r;
  }

  static inline s3::S3rverProcess* server_ = nullptr;
  static inline testing::TempDir* dir_ = nullptr;
  static inline int counter_ = 0;
  std::string bucket_;
  testing::TempDir work_;
  testing::ScopedCwd cwd_{work_.path()};
};

TEST_F(RemoteCacheTest, PushThenPullIntoAnEmptyCacheGivesAHit) {
  StageCache a(work_ / "cache-a");
  auto first = a.Run(Stage());
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->status, "miss");
  auto ra = RemoteCache::Open(Uri(), server_->endpoint(), a.layout());
  ASSERT_TRUE(ra.ok()) << ra.status().ToString();
  auto pushed = (*ra)->Push({});
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ(pushed->entries, std::vector<std::string>{first->key});
  EXPECT_TRUE(pushed->failed.empty()) << pushed->failed[0];
  EXPECT_EQ((*ra)->Push({})->skipped.size(), 1u);  // already there

  StageCache b(work_ / "cache-b");
  ASSERT_TRUE(b.layout().Create().ok());
  auto rb = RemoteCache::Open(Uri(), server_->endpoint(), b.layout());
  auto pulled = (*rb)->Pull({});
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->entries, std::vector<std::string>{first->key});
  std::filesystem::remove_all(work_ / "out");
  auto hit = b.Run(Stage());
  ASSERT_TRUE(hit.ok());
  EXPECT_EQ(hit->status, "hit");
  EXPECT_EQ(testing::ReadFile(work_ / "out/b.txt"), "input\ninput\n");
}

TEST_F(RemoteCacheTest, TamperedRemoteBlobIsRejectedOnPull) {
  StageCache a(work_ / "cache-a");
  auto first = a.Run(Stage());
  ASSERT_TRUE(first.ok());
  auto ra = RemoteCache::Open(Uri(), server_->endpoint(), a.layout());
  ASSERT_TRUE((*ra)->Push({}).ok());
  auto entry = EntryIndex(a.layout()).Load(first->key);
  s3::S3Client client(*s3::S3Config::FromEnvironment(server_->endpoint()));
  std::string evil = "INPUT\nINPUT\n";  // same size
  ASSERT_TRUE(client.PutObject(bucket_, "team/cache/blobs/" + entry->outputs[0].sha256, evil).ok());

  StageCache b(work_ / "cache-b");
  ASSERT_TRUE(b.layout().Create().ok());
  auto rb = RemoteCache::Open(Uri(), server_->endpoint(), b.layout());
  auto pulled = (*rb)->Pull({first->key});
  ASSERT_TRUE(pulled.ok());
  ASSERT_EQ(pulled->failed.size(), 1u);
  EXPECT_NE(pulled->failed[0].find("does not match"), std::string::npos);
  EXPECT_TRUE(EntryIndex(b.layout()).ListKeys()->empty());
  EXPECT_FALSE(BlobStore(b.layout()).Has(entry->outputs[0].sha256, entry->outputs[0].size));
  EXPECT_TRUE(std::filesystem::is_empty(b.layout().TmpDir()));
}

TEST_F(RemoteCacheTest, BadUris) {
  CacheLayout layout(work_ / "c");
  EXPECT_FALSE(RemoteCache::Open("http://x/y", server_->endpoint(), layout).ok());
  EXPECT_FALSE(RemoteCache::Open("s3:///prefix", server_->endpoint(), layout).ok());
  EXPECT_FALSE(RemoteCache::Open("s3://b/../x", server_->endpoint(), layout).ok());
}

}  // namespace
}  // namespace mlcost::stagecache
