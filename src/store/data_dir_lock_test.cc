#include "store/data_dir_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/test_util.h"

namespace mlcost::store {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kHolder = "mlcost serve on http://127.0.0.1:8080";

TEST(DataDirLockTest, CreatesTheDirectoryAndRecordsTheHolder) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/nested/data";
  auto lock = DataDirLock::Acquire(dir, kHolder);
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  EXPECT_EQ(ReadFile(dir + "/mlcost.lock"), "pid " + std::to_string(getpid()) + ": " + kHolder + "\n");
}

TEST(DataDirLockTest, SecondAcquireInTheSameProcessIsConflict) {
  // flock belongs to the open file description, so a second open() + flock() conflicts even here.
  TempDir tmp;
  auto first = DataDirLock::Acquire(tmp.path(), kHolder);
  ASSERT_TRUE(first.ok());
  auto second = DataDirLock::Acquire(tmp.path(), "mlcost ingest");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_EQ(second.status().message(), "data directory " + tmp.path() + " is in use by pid " +
                                           std::to_string(getpid()) + ": " + kHolder +
                                           "; stop it, or use --server to talk to it");
  // The failed attempt did not disturb the holder's record.
  EXPECT_EQ(ReadFile(tmp.path() + "/mlcost.lock"), "pid " + std::to_string(getpid()) + ": " + kHolder + "\n");
}

TEST(DataDirLockTest, ReleasedOnDestruction) {
  TempDir tmp;
  {
    auto first = DataDirLock::Acquire(tmp.path(), "one");
    ASSERT_TRUE(first.ok());
  }
  EXPECT_EQ(ReadFile(tmp.path() + "/mlcost.lock"), "");  // the record is cleared on release
  auto second = DataDirLock::Acquire(tmp.path(), "two");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(ReadFile(tmp.path() + "/mlcost.lock").find(": two"), std::string::npos);
}

TEST(DataDirLockTest, UpdateHolderIsWhatOthersSee) {
  TempDir tmp;
  auto lock = DataDirLock::Acquire(tmp.path(), "mlcost serve (starting)");
  ASSERT_TRUE(lock.ok());
  (*lock)->UpdateHolder("mlcost serve on http://127.0.0.1:41234");
  auto other = DataDirLock::Acquire(tmp.path(), "x");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("mlcost serve on http://127.0.0.1:41234"), std::string::npos);
  EXPECT_EQ(other.status().message().find("starting"), std::string::npos);  // no leftover of the longer text
}

TEST(DataDirLockTest, DifferentDirectoriesDoNotConflict) {
  TempDir a, b;
  auto la = DataDirLock::Acquire(a.path(), "a");
  auto lb = DataDirLock::Acquire(b.path(), "b");
  EXPECT_TRUE(la.ok());
  EXPECT_TRUE(lb.ok());
}

TEST(DataDirLockTest, UncreatableDirectoryIsInternal) {
  TempDir tmp;
  const std::string file = tmp.path() + "/plain_file";
  std::ofstream(file) << "x";
  auto lock = DataDirLock::Acquire(file + "/sub", kHolder);
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kInternal) << lock.status().ToString();
  EXPECT_NE(lock.status().message().find(file), std::string::npos);
}

TEST(DataDirLockTest, AnotherProcessHoldsItUntilKilled) {
  TempDir tmp;
  const std::string dir = tmp.path();
  ChildProcess child([&](const ChildProcess::Ready& ready) {
    auto lock = DataDirLock::Acquire(dir, "mlcost serve in the child");
    ready(lock.ok());
    for (;;) pause();
  });
  ASSERT_TRUE(child.WaitReady()) << "the child could not take the lock";
  const pid_t child_pid = child.pid();

  auto blocked = DataDirLock::Acquire(dir, kHolder);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kConflict);
  EXPECT_NE(
      blocked.status().message().find("pid " + std::to_string(child_pid) + ": mlcost serve in the child"),
      std::string::npos)
      << blocked.status().message();

  child.Kill();  // kill -9: no destructor runs, the stale file keeps the child's record
  EXPECT_NE(ReadFile(dir + "/mlcost.lock").find(std::to_string(child_pid)), std::string::npos);
  auto after = DataDirLock::Acquire(dir, kHolder);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(ReadFile(dir + "/mlcost.lock"), "pid " + std::to_string(getpid()) + ": " + kHolder + "\n");
}

}  // namespace
}  // namespace mlcost::store
