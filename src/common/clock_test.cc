#include "common/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace mlcost {
namespace {

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.Advance(500);
  EXPECT_EQ(clock.Now(), 1500);
  clock.Advance(-200);
  EXPECT_EQ(clock.Now(), 1300);
  clock.Set(42);
  EXPECT_EQ(clock.Now(), 42);
}

TEST(FakeClockTest, UsableThroughTheInterface) {
  FakeClock fake(*ParseIso8601("2024-09-01T00:00:00Z"));
  const Clock& clock = fake;
  fake.Advance(90 * kMicrosPerSecond);
  EXPECT_EQ(FormatIso8601(clock.Now()), "2024-09-01T00:01:30Z");
}

TEST(FakeClockTest, ConcurrentAdvancesAreNotLost) {
  FakeClock clock(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 10000; ++i) clock.Advance(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(clock.Now(), 80000);
}

TEST(SystemClockTest, ReadsTheWallClock) {
  auto before = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Micros now = SystemClock::Get().Now();
  auto after = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
  EXPECT_GT(now, *ParseIso8601("2024-01-01"));  // microseconds, not seconds or milliseconds
}

TEST(SystemClockTest, GetReturnsOneInstance) { EXPECT_EQ(&SystemClock::Get(), &SystemClock::Get()); }

}  // namespace
}  // namespace mlcost
