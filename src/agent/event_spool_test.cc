#include "agent/event_spool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "agent/spool_sender.h"

namespace mlcost::agent {
namespace {

namespace fs = std::filesystem;

class EventSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("mlcost-spool-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<EventSpool> Open() {
    auto spool = EventSpool::Open(dir_);
    EXPECT_TRUE(spool.ok()) << spool.status().ToString();
    return spool.ok() ? std::move(*spool) : nullptr;
  }

  std::string dir_;
};

std::vector<int> Values(const std::vector<SpoolEvent>& events) {
  std::vector<int> out;
  for (const SpoolEvent& e : events) out.push_back(e.body["v"].get<int>());
  return out;
}

TEST_F(EventSpoolTest, EventsSurviveReopeningUntilDelivered) {
  {
    auto spool = Open();
    ASSERT_TRUE(spool->Append("POST", "/a", {{"v", 1}}).ok());
    ASSERT_TRUE(spool->Append("POST", "/b", {{"v", 2}}).ok());
    ASSERT_TRUE(spool->Append("PATCH", "/c", {{"v", 3}}).ok());
    auto pending = spool->Pending(10);
    ASSERT_EQ(pending.size(), 3u);
    ASSERT_TRUE(spool->MarkDelivered(pending[0].seq).ok());
  }
  auto spool = Open();
  auto pending = spool->Pending(10);
  EXPECT_EQ(Values(pending), (std::vector<int>{2, 3}));
  EXPECT_EQ(pending[1].method, "PATCH");
  EXPECT_EQ(pending[1].path, "/c");
  // New events are numbered after the old ones.
  ASSERT_TRUE(spool->Append("POST", "/d", {{"v", 4}}).ok());
  EXPECT_GT(spool->Pending(10).back().seq, pending.back().seq);
}

TEST_F(EventSpoolTest, OneOwnerAtATime) {
  auto first = Open();
  auto second = EventSpool::Open(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_NE(second.status().message().find("in use by another mlcost process"), std::string::npos);
  first.reset();
  EXPECT_TRUE(EventSpool::Open(dir_).ok());
}

TEST_F(EventSpoolTest, AllDeliveredRemovesTheLogAndKeepsCounting) {
  uint64_t last = 0;
  {
    auto spool = Open();
    ASSERT_TRUE(spool->Append("POST", "/a", {{"v", 1}}).ok());
    last = spool->Pending(1)[0].seq;
    ASSERT_TRUE(spool->MarkDelivered(last).ok());
    EXPECT_FALSE(fs::exists(dir_ + "/events.jsonl"));
  }
  auto spool = Open();
  EXPECT_EQ(spool->PendingCount(), 0u);
  ASSERT_TRUE(spool->Append("POST", "/b", {{"v", 2}}).ok());
  EXPECT_EQ(spool->Pending(1)[0].seq, last + 1);
}

TEST_F(EventSpoolTest, ATornLastLineIsSkippedAndAnEarlierBadLineIsAnError) {
  {
    auto spool = Open();
    ASSERT_TRUE(spool->Append("POST", "/a", {{"v", 1}}).ok());
  }
  { std::ofstream(dir_ + "/events.jsonl", std::ios::app) << R"({"seq":2,"method":"PO)"; }
  {
    auto spool = Open();
    EXPECT_EQ(Values(spool->Pending(10)), (std::vector<int>{1}));
  }
  { std::ofstream(dir_ + "/events.jsonl", std::ios::app) << "\n" << R"({"seq":3,"method":"POST","path":"/x","body":{"v":3}})" << "\n"; }
  auto broken = EventSpool::Open(dir_);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("events.jsonl line 2 is not an event"), std::string::npos)
      << broken.status().message();
}

TEST_F(EventSpoolTest, SenderDeliversInOrderRetriesAndDropsRejected) {
  auto spool = Open();
  std::mutex mu;
  std::vector<int> delivered;
  std::atomic<int> failures_left{3};
  SpoolSender sender(*spool, [&](const SpoolEvent& e) {
    if (failures_left > 0) {
      --failures_left;
      return DeliveryResult{DeliveryOutcome::kRetry, "connection refused"};
    }
    if (e.body["v"] == 2) return DeliveryResult{DeliveryOutcome::kRejected, "bad"};
    std::lock_guard<std::mutex> lock(mu);
    delivered.push_back(e.body["v"].get<int>());
    return DeliveryResult{};
  });
  for (int v = 1; v <= 5; ++v) {
    ASSERT_TRUE(spool->Append("POST", "/x", {{"v", v}}).ok());
    sender.Notify();
  }
  ASSERT_TRUE(sender.Drain(60000));
  sender.Stop();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(delivered, (std::vector<int>{1, 3, 4, 5}));
  EXPECT_EQ(sender.rejected(), 1);
  EXPECT_EQ(failures_left, 0);
}

TEST_F(EventSpoolTest, StoppingASenderThatCannotDeliverKeepsTheEvents) {
  {
    auto spool = Open();
    SpoolSender sender(*spool, [](const SpoolEvent&) {
      return DeliveryResult{DeliveryOutcome::kRetry, "down"};
    });
    ASSERT_TRUE(spool->Append("POST", "/x", {{"v", 7}}).ok());
    sender.Notify();
    EXPECT_FALSE(sender.Drain(300));
    EXPECT_TRUE(sender.offline());
  }
  auto spool = Open();
  EXPECT_EQ(Values(spool->Pending(10)), (std::vector<int>{7}));
}

}  // namespace
}  // namespace mlcost::agent
