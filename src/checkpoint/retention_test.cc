#include "checkpoint/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace mlcost::checkpoint {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

RetentionItem Item(const std::string& name, Micros t, std::optional<double> loss = std::nullopt) {
  Manifest m;
  m.name = name;
  m.created_at_us = t;
  if (loss.has_value()) m.metrics["loss"] = *loss;
  return {name, m, t};
}

RetentionPolicy Keep(int last, int best = 0, std::string metric = "", bool maximize = false) {
  RetentionPolicy p;
  p.keep_last = last;
  p.keep_best = best;
  p.metric = std::move(metric);
  p.maximize = maximize;
  return p;
}

struct Oracle {
  Oracle() = default;
  explicit Oracle(std::set<std::string> bad) : invalid(std::move(bad)) {}
  std::set<std::string> invalid;
  std::vector<std::string> asked;
  std::function<bool(size_t)> For(const std::vector<RetentionItem>& items) {
    return [this, &items](size_t i) {
      asked.push_back(items[i].name);
      return invalid.count(items[i].name) == 0;
    };
  }
};

TEST(RetentionTest, KeepsTheNewestNAndRemovesTheRest) {
  // Deliberately not in time order.
  std::vector<RetentionItem> items = {Item("c", 30), Item("a", 10), Item("d", 40), Item("b", 20)};
  Oracle oracle;
  RetentionPlan plan = PlanRetention(items, Keep(2), oracle.For(items));
  EXPECT_THAT(plan.keep, UnorderedElementsAre("c", "d"));
  EXPECT_THAT(plan.remove, UnorderedElementsAre("a", "b"));
  EXPECT_THAT(plan.keep_invalid, IsEmpty());
  EXPECT_THAT(oracle.asked, ElementsAre("d", "c")) << "only as many verified as needed, newest first";
}

TEST(RetentionTest, InvalidOnesDoNotCountAndOlderInvalidOnesGo) {
  std::vector<RetentionItem> items = {Item("a", 10), Item("b", 20), Item("c", 30), Item("d", 40),
                                      Item("e", 50)};
  Oracle oracle{{"e", "c", "a"}};
  RetentionPlan plan = PlanRetention(items, Keep(2), oracle.For(items));
  EXPECT_THAT(plan.keep, UnorderedElementsAre("d", "b"));
  EXPECT_THAT(plan.keep_invalid, ElementsAre("e")) << "newer than the newest valid one: left alone";
  EXPECT_THAT(plan.remove, UnorderedElementsAre("c", "a"));
}

TEST(RetentionTest, KeepsTheBestKByMetric) {
  std::vector<RetentionItem> items = {Item("a", 10, 0.9), Item("b", 20, 0.1), Item("c", 30, 0.5),
                                      Item("d", 40, 0.7), Item("e", 50, 0.8), Item("f", 60)};
  Oracle oracle{{"b"}};
  RetentionPolicy policy = Keep(1, 2, "loss");
  RetentionPlan plan = PlanRetention(items, policy, oracle.For(items));
  // f is the newest; b (0.1) is invalid, so the best two valid are c (0.5) and d (0.7).
  EXPECT_THAT(plan.keep, UnorderedElementsAre("f", "c", "d"));
  EXPECT_THAT(plan.remove, UnorderedElementsAre("a", "b", "e"));

  policy.maximize = true;
  Oracle all_valid;
  plan = PlanRetention(items, policy, all_valid.For(items));
  EXPECT_THAT(plan.keep, UnorderedElementsAre("f", "a", "e"));
}

TEST(RetentionTest, TiesInTheMetricKeepTheNewer) {
  std::vector<RetentionItem> items = {Item("a", 10, 0.5), Item("b", 20, 0.5), Item("c", 30, 0.9)};
  Oracle oracle;
  RetentionPlan plan = PlanRetention(items, Keep(1, 1, "loss"), oracle.For(items));
  EXPECT_THAT(plan.keep, UnorderedElementsAre("c", "b"));
}

TEST(RetentionTest, NothingValidMeansNothingRemoved) {
  std::vector<RetentionItem> items = {Item("a", 10), Item("b", 20)};
  Oracle oracle{{"a", "b"}};
  RetentionPlan plan = PlanRetention(items, Keep(1), oracle.For(items));
  EXPECT_THAT(plan.remove, IsEmpty());
  EXPECT_THAT(plan.keep_invalid, UnorderedElementsAre("a", "b"));
}

TEST(RetentionTest, UnparsableManifestsAgeByMtime) {
  std::vector<RetentionItem> items = {
      Item("a", 10), Item("b", 20), {"old-broken", std::nullopt, 5}, {"new-broken", std::nullopt, 99}};
  Oracle oracle;
  RetentionPlan plan = PlanRetention(items, Keep(5), oracle.For(items));
  EXPECT_THAT(plan.keep, UnorderedElementsAre("a", "b"));
  EXPECT_THAT(plan.keep_invalid, ElementsAre("new-broken"));
  EXPECT_THAT(plan.remove, ElementsAre("old-broken"));
  EXPECT_THAT(oracle.asked, UnorderedElementsAre("a", "b")) << "no oracle call without a manifest";
}

TEST(RetentionTest, PolicyValidation) {
  EXPECT_FALSE(ValidateRetention(Keep(0)).ok());
  EXPECT_FALSE(ValidateRetention(Keep(1, 1)).ok());
  EXPECT_FALSE(ValidateRetention(Keep(1, -1)).ok());
  EXPECT_TRUE(ValidateRetention(Keep(1, 1, "loss")).ok());
}

}  // namespace
}  // namespace mlcost::checkpoint
