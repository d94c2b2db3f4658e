#include "datacache/single_flight.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace mlcost::datacache {
namespace {

TEST(SingleFlightTest, ConcurrentCallsForOneKeyRunTheWorkOnce) {
  SingleFlight<int> flight;
  constexpr int kCallers = 8;
  std::atomic<int> runs{0};
  std::atomic<int> shared_count{0};
  std::vector<int> results(kCallers, -1);
  auto work = [&] {
    ++runs;
    // Hold the flight open until every other caller is waiting on it (no timing involved).
    while (flight.Waiting("k") < kCallers - 1) std::this_thread::yield();
    return 42;
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      bool shared = false;
      results[i] = flight.Do("k", work, &shared);
      if (shared) ++shared_count;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(shared_count.load(), kCallers - 1);
  for (int r : results) EXPECT_EQ(r, 42);
}

TEST(SingleFlightTest, LaterCallsAndOtherKeysRunAgain) {
  SingleFlight<int> flight;
  int runs = 0;
  auto work = [&] { return ++runs; };
  EXPECT_EQ(flight.Do("a", work), 1);
  EXPECT_EQ(flight.Do("a", work), 2);  // the first finished: a new flight
  EXPECT_EQ(flight.Do("b", work), 3);
  EXPECT_EQ(flight.Waiting("a"), 0);
}

}  // namespace
}  // namespace mlcost::datacache
