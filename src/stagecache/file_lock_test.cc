#include "stagecache/file_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "stagecache/test_util.h"
#include "store/test_util.h"

namespace mlcost::stagecache {
namespace {

TEST(FileLockTest, ExclusiveExcludesAndSharedShares) {
  testing::TempDir dir;
  const std::string path = dir / "k.lock";
  auto a = FileLock::Acquire(path, FileLock::Kind::kExclusive);
  ASSERT_TRUE(a.ok());
  auto b = FileLock::TryAcquire(path, FileLock::Kind::kExclusive);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, nullptr);
  EXPECT_NE(testing::ReadFile(path).find(std::to_string(::getpid())), std::string::npos);
  a->reset();
  auto c = FileLock::TryAcquire(path, FileLock::Kind::kShared);
  auto d = FileLock::TryAcquire(path, FileLock::Kind::kShared);
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_NE(*c, nullptr);
  EXPECT_NE(*d, nullptr);
  EXPECT_EQ(*FileLock::TryAcquire(path, FileLock::Kind::kExclusive), nullptr);
}

TEST(FileLockTest, WaiterIsToldWhoHoldsItAndGetsItAfterRelease) {
  testing::TempDir dir;
  const std::string path = dir / "k.lock";
  auto held = FileLock::Acquire(path, FileLock::Kind::kExclusive);
  ASSERT_TRUE(held.ok());
  std::atomic<bool> told{false};
  std::string who;
  std::thread waiter([&] {
    auto l = FileLock::Acquire(path, FileLock::Kind::kExclusive, [&](const std::string& w) {
      who = w;
      told = true;
    });
    EXPECT_TRUE(l.ok() && *l != nullptr);
  });
  while (!told) std::this_thread::yield();
  held->reset();
  waiter.join();
  EXPECT_NE(who.find("pid " + std::to_string(::getpid())), std::string::npos);
}

TEST(FileLockTest, AKilledHolderLeavesNoStaleLock) {
  testing::TempDir dir;
  const std::string path = dir / "k.lock";
  store::ChildProcess holder([&](const store::ChildProcess::Ready& ready) {
    auto held = FileLock::Acquire(path, FileLock::Kind::kExclusive);
    ready(held.ok());
    for (;;) ::pause();  // holds the lock until killed
  });
  ASSERT_TRUE(holder.WaitReady());
  EXPECT_EQ(*FileLock::TryAcquire(path, FileLock::Kind::kExclusive), nullptr);
  holder.Kill();  // SIGKILL, reaped
  auto after = FileLock::TryAcquire(path, FileLock::Kind::kExclusive);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, nullptr);  // the lock file still names the dead pid, but nobody holds it
}

TEST(FileLockTest, ReadOnlyLocationIsAClearError) {
  auto l = FileLock::Acquire("/sys/mlcost-no-such-dir/k.lock", FileLock::Kind::kExclusive);
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("/sys/mlcost-no-such-dir/k.lock"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::stagecache
