#include "agent/checkpoint_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace mlcost::agent {
namespace {

namespace fs = std::filesystem;

class CheckpointWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mlcost-watcher-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& content) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }

  fs::path dir_;
};

using Names = std::vector<std::string>;

TEST_F(CheckpointWatcherTest, ReportsAFileOnceItIsUnchangedOnTwoScans) {
  CheckpointWatcher watcher(dir_.string());
  Write("step-10.pt", "abc");
  EXPECT_EQ(watcher.Scan(), Names{});
  EXPECT_EQ(watcher.Scan(), Names{"step-10.pt"});
  EXPECT_EQ(watcher.Scan(), Names{});
}

TEST_F(CheckpointWatcherTest, AFileStillGrowingIsNotReported) {
  CheckpointWatcher watcher(dir_.string());
  Write("model.bin", "a");
  EXPECT_EQ(watcher.Scan(), Names{});
  Write("model.bin", "ab");
  EXPECT_EQ(watcher.Scan(), Names{});
  EXPECT_EQ(watcher.Scan(), Names{"model.bin"});
}

TEST_F(CheckpointWatcherTest, TempNamesAreIgnoredUntilRenamed) {
  CheckpointWatcher watcher(dir_.string());
  Write(".ckpt-1.pt", "x");
  Write("ckpt-2.pt.tmp", "x");
  Write("ckpt-3.part", "x");
  Write("ckpt-4.pt~", "x");
  watcher.Scan();
  EXPECT_EQ(watcher.Scan(true), Names{});
  fs::rename(dir_ / "ckpt-2.pt.tmp", dir_ / "ckpt-2.pt");
  EXPECT_EQ(watcher.Scan(true), Names{"ckpt-2.pt"});
}

TEST_F(CheckpointWatcherTest, SettleNowReportsWithoutASecondLookAndRewritesAreReportedAgain) {
  CheckpointWatcher watcher(dir_.string());
  Write("b.pt", "1");
  Write("sub/a.pt", "1");
  EXPECT_EQ(watcher.Scan(true), (Names{"b.pt", "sub/a.pt"}));
  Write("b.pt", "22");
  EXPECT_EQ(watcher.Scan(true), Names{"b.pt"});
}

TEST_F(CheckpointWatcherTest, AMissingDirectoryYieldsNothing) {
  CheckpointWatcher watcher((dir_ / "absent").string());
  EXPECT_EQ(watcher.Scan(true), Names{});
}

TEST(CheckpointWatcherNameTest, InProgressNames) {
  EXPECT_TRUE(CheckpointWatcher::IsInProgressName(".hidden"));
  EXPECT_TRUE(CheckpointWatcher::IsInProgressName("x.tmp"));
  EXPECT_TRUE(CheckpointWatcher::IsInProgressName("x.partial"));
  EXPECT_TRUE(CheckpointWatcher::IsInProgressName("x.swp"));
  EXPECT_FALSE(CheckpointWatcher::IsInProgressName("step-100.pt"));
  EXPECT_FALSE(CheckpointWatcher::IsInProgressName("tmp.pt"));
}

}  // namespace
}  // namespace mlcost::agent
