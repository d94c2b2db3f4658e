#include "anomaly/event_score.h"

#include <gtest/gtest.h>

namespace mlcost::bench {
namespace {

std::vector<bool> FlagsAt(int n, std::initializer_list<int> at) {
  std::vector<bool> out(n, false);
  for (int i : at) out[i] = true;
  return out;
}

TEST(EventScoreTest, CountsEventsOnceAndRunsOfFlagsAsOneDetection) {
  // Events [10,12] and [30,30]; flags: a run 11-13 (hits the first event), 20 (false), 40 (false).
  std::vector<Window> windows = {{10, 12, "spike"}, {30, 30, "drift"}};
  EventScore s = ScoreEvents(FlagsAt(50, {11, 12, 13, 20, 40}), windows, 5, 0);
  EXPECT_EQ(s.events, 2);
  EXPECT_EQ(s.found, 1);
  EXPECT_EQ(s.detections, 3);
  EXPECT_EQ(s.true_detections, 1);
  EXPECT_DOUBLE_EQ(s.Recall(), 0.5);
  EXPECT_DOUBLE_EQ(s.Precision(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.F1(), 2 * 0.5 / 3 / (0.5 + 1.0 / 3));
  EXPECT_EQ(s.by_kind["spike"], std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(s.by_kind["drift"], std::make_pair(int64_t{1}, int64_t{0}));
}

TEST(EventScoreTest, ToleranceWidensTheEventAfterItsEnd) {
  std::vector<Window> windows = {{30, 30, ""}};
  EXPECT_EQ(ScoreEvents(FlagsAt(50, {32}), windows, 0, 1).found, 0);
  EventScore s = ScoreEvents(FlagsAt(50, {32}), windows, 0, 2);
  EXPECT_EQ(s.found, 1);
  EXPECT_EQ(s.true_detections, 1);
  EXPECT_EQ(ScoreEvents(FlagsAt(50, {29}), windows, 0, 2).found, 0) << "no tolerance before the event";
}

TEST(EventScoreTest, WarmUpEventsAndFlagsAreNotScored) {
  std::vector<Window> windows = {{2, 4, ""}, {20, 21, ""}};
  EventScore s = ScoreEvents(FlagsAt(30, {3, 8}), windows, 6, 0);
  EXPECT_EQ(s.events, 1);
  EXPECT_EQ(s.found, 0);
  EXPECT_EQ(s.detections, 1);
  EXPECT_EQ(s.true_detections, 0);
  EXPECT_DOUBLE_EQ(s.F1(), 0.0);
}

}  // namespace
}  // namespace mlcost::bench
