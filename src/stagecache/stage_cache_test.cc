#include "stagecache/stage_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "stagecache/test_util.h"

namespace mlcost::stagecache {
namespace {

class StageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteFile(dir_ / "work/in.txt", "input\n");
    testing::WriteFile(dir_ / "work/runs", "");
  }
  // A stage that copies in.txt to out/a.txt and counts its runs in `runs`.
  RunRequest Stage(const std::string& extra = "") {
    RunRequest r;
    r.argv = {"sh", "-c", "echo x >> runs; mkdir -p out; cat in.txt > out/a.txt" + extra};
    r.deps = {"in.txt"};
    r.outs = {"out"};
    return r;
  }
  size_t Runs() { return testing::ReadFile(dir_ / "work/runs").size() / 2; }

  testing::TempDir dir_;
  testing::ScopedCwd cwd_{testing::MakeDirs(dir_ / "work")};
  StageCache cache_{dir_ / "cache"};
};

TEST_F(StageCacheTest, MissThenHitRestoresWithoutRunning) {
  auto first = cache_.Run(Stage());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, "miss");
  EXPECT_EQ(first->bytes, 6u);
  EXPECT_EQ(Runs(), 1u);
  std::filesystem::remove_all(dir_ / "work/out");
  auto second = cache_.Run(Stage());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, "hit");
  EXPECT_EQ(second->key, first->key);
  EXPECT_EQ(Runs(), 1u);
  EXPECT_EQ(testing::ReadFile(dir_ / "work/out/a.txt"), "input\n");
  // A changed input is a new key: the command runs again.
  testing::WriteFile(dir_ / "work/in.txt", "input 2\n");
  auto third = cache_.Run(Stage());
  EXPECT_EQ(third->status, "miss");
  EXPECT_NE(third->key, first->key);
  EXPECT_EQ(Runs(), 2u);
}

TEST_F(StageCacheTest, ParamsAndUserKeysAreKeys) {
  RunRequest a = Stage();
  a.params = {{"lr", "0.1"}};
  RunRequest b = Stage();
  b.params = {{"lr", "0.2"}};
  EXPECT_NE(cache_.Run(a)->key, cache_.Run(b)->key);
  RunRequest u = Stage();
  u.user_key = "prep-v1";
  EXPECT_EQ(cache_.Run(u)->status, "miss");
  testing::WriteFile(dir_ / "work/in.txt", "changed, but the user owns the key\n");
  EXPECT_EQ(cache_.Run(u)->status, "hit");
}

TEST_F(StageCacheTest, OutputNotCreatedIsAnErrorAndNothingIsCached) {
  RunRequest r = Stage();
  r.outs = {"out", "missing.bin"};
  auto out = cache_.Run(r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_NE(out.status().message().find("missing.bin"), std::string::npos);
  EXPECT_TRUE(EntryIndex(cache_.layout()).ListKeys()->empty());
}

TEST_F(StageCacheTest, StaleOutputsAreRemovedBeforeRunning) {
  testing::WriteFile(dir_ / "work/model.bin", "stale from last week");
  RunRequest r;
  r.argv = {"true"};  // does not write model.bin
  r.outs = {"model.bin"};
  auto out = cache_.Run(r);
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "work/model.bin"));
}

TEST_F(StageCacheTest, FailedCommandIsNotCached) {
  RunRequest r = Stage("; exit 3");
  auto out = cache_.Run(r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, "failed");
  EXPECT_EQ(out->exit_code, 3);
  EXPECT_TRUE(EntryIndex(cache_.layout()).ListKeys()->empty());
}

TEST_F(StageCacheTest, InputChangedDuringTheRunIsNotCached) {
  RunRequest r = Stage("; echo more >> in.txt");
  auto out = cache_.Run(r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, "uncached");
  EXPECT_NE(out->why.find("in.txt"), std::string::npos);
  EXPECT_TRUE(EntryIndex(cache_.layout()).ListKeys()->empty());
}

TEST_F(StageCacheTest, CorruptedEntryIsRemovedAndTreatedAsAMiss) {
  auto first = cache_.Run(Stage());
  ASSERT_TRUE(first.ok());
  std::string entry = cache_.layout().EntryPath(first->key);
  std::string text = testing::ReadFile(entry);
  testing::WriteFile(entry, text.substr(0, text.size() / 2));  // a torn write
  auto second = cache_.Run(Stage());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, "miss");
  EXPECT_EQ(Runs(), 2u);
  EXPECT_TRUE(cache_.Lookup(first->key)->has_value());  // republished whole
}

TEST_F(StageCacheTest, CorruptedBlobIsDetectedOnRestore) {
  auto first = cache_.Run(Stage());
  ASSERT_TRUE(first.ok());
  auto entry = EntryIndex(cache_.layout()).Load(first->key);
  std::string blob = cache_.layout().BlobPath(entry->outputs[0].sha256);
  ::chmod(blob.c_str(), 0644);
  testing::WriteFile(blob, "INPUT\n");  // same size, other bytes
  auto second = cache_.Run(Stage());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, "miss");
  EXPECT_EQ(Runs(), 2u);
  EXPECT_EQ(testing::ReadFile(dir_ / "work/out/a.txt"), "input\n");
  EXPECT_TRUE(BlobStore(cache_.layout()).Verify(entry->outputs[0].sha256).ok());
}

TEST_F(StageCacheTest, BadInput) {
  RunRequest r = Stage();
  r.outs = {"../escape"};
  EXPECT_EQ(cache_.Run(r).status().code(), StatusCode::kInvalidArgument);
  r.outs = {"/tmp/abs"};
  EXPECT_EQ(cache_.Run(r).status().code(), StatusCode::kInvalidArgument);
  r = Stage();
  r.user_key = "../../etc";
  EXPECT_EQ(cache_.Run(r).status().code(), StatusCode::kInvalidArgument);
  r = Stage();
  r.deps = {"no-such-dep.csv"};
  auto missing = cache_.Run(r);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no-such-dep.csv"), std::string::npos);
  EXPECT_EQ(Runs(), 0u);  // nothing ran
}

TEST_F(StageCacheTest, UnwritableCacheRunsTheCommandUncached) {
  StageCache ro("/sys/mlcost-stagecache-test");
  auto out = ro.Run(Stage());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->status, "uncached");
  EXPECT_NE(out->why.find("cannot be written"), std::string::npos);
  EXPECT_EQ(Runs(), 1u);
  EXPECT_EQ(testing::ReadFile(dir_ / "work/out/a.txt"), "input\n");
}

}  // namespace
}  // namespace mlcost::stagecache
