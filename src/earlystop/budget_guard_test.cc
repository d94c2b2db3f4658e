#include "earlystop/budget_guard.h"

#include <gtest/gtest.h>

namespace mlcost::earlystop {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

SpendSoFar Spend(const char* cost, const char* hourly, int64_t seconds, int gpus = 0) {
  SpendSoFar s;
  s.cost = D(cost);
  s.hourly_price = D(hourly);
  s.currency = "USD";
  s.billable_seconds = seconds;
  s.gpu_count = gpus;
  return s;
}

TEST(BudgetGuardTest, ReadsTheTagsAndRefusesBadOnes) {
  auto b = BudgetFromTags({{"mlcost.budget", "12.50"}, {"mlcost.target_steps", "1000"}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b->money, D("12.5"));
  EXPECT_EQ(*b->target_steps, 1000);
  EXPECT_FALSE(b->gpu_hours.has_value());
  auto bad = BudgetFromTags({{"mlcost.budget", "-3"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "tag mlcost.budget '-3' is not a non-negative decimal number");
  EXPECT_FALSE(BudgetFromTags({{"mlcost.target_steps", "1e3"}}).ok());
  EXPECT_FALSE(BudgetFromTags({{"mlcost.budget_gpu_hours", "x"}}).ok());
}

TEST(BudgetGuardTest, NoBudgetNeverStops) {
  EXPECT_FALSE(JudgeBudget({}, Spend("1000", "10", 3600), std::nullopt).stop);
}

TEST(BudgetGuardTest, StopsWhenTheMoneyIsSpent) {
  RunBudget b;
  b.money = D("5");
  BudgetVerdict v = JudgeBudget(b, Spend("5.000000000001", "10", 1800), std::nullopt);
  EXPECT_TRUE(v.stop);
  EXPECT_EQ(v.reason, "budget: spent 5.000000000001 USD of 5 USD");
  EXPECT_FALSE(JudgeBudget(b, Spend("4.99", "10", 1796), std::nullopt).stop);
}

TEST(BudgetGuardTest, ProjectsTheCostToTheTargetFromTheStepRate) {
  RunBudget b;
  b.money = D("10");
  b.target_steps = 1000;
  // 100 steps in 360 s at 10 USD/h: 1 USD spent; 900 steps left take 3240 s = 9 USD more -> 10.
  Progress p{0, 100, 0, 360000};
  BudgetVerdict fits = JudgeBudget(b, Spend("1", "10", 360), p);
  EXPECT_FALSE(fits.stop) << fits.reason;
  EXPECT_EQ(fits.reason, "budget: projected 10 USD of 10 USD");
  b.money = D("9.99");
  BudgetVerdict over = JudgeBudget(b, Spend("1", "10", 360), p);
  EXPECT_TRUE(over.stop);
  EXPECT_EQ(over.reason,
            "budget: reaching step 1000 would cost 10 USD (spent 1 USD, 900 steps left at the current rate), over "
            "the budget of 9.99 USD");
}

TEST(BudgetGuardTest, GpuHoursCountEveryGpu) {
  RunBudget b;
  b.gpu_hours = D("2");
  EXPECT_TRUE(JudgeBudget(b, Spend("0", "0", 1800, 4), std::nullopt).stop);  // 4 GPUs x 0.5 h
  EXPECT_FALSE(JudgeBudget(b, Spend("0", "0", 1799, 4), std::nullopt).stop);
  b.target_steps = 200;
  Progress p{0, 100, 0, 900000};  // 100 steps in 15 min on 2 GPUs: 0.5 GPU-h; 100 more: 1 GPU-h total
  EXPECT_FALSE(JudgeBudget(b, Spend("0", "0", 900, 2), p).stop);
  b.gpu_hours = D("0.9");
  BudgetVerdict v = JudgeBudget(b, Spend("0", "0", 900, 2), p);
  EXPECT_TRUE(v.stop);
  EXPECT_NE(v.reason.find("would use 1 GPU-hours"), std::string::npos) << v.reason;
}

TEST(BudgetGuardTest, WithoutARateOnlyTheSpendIsChecked) {
  RunBudget b;
  b.money = D("10");
  b.target_steps = 1000;
  BudgetVerdict v = JudgeBudget(b, Spend("1", "10", 360), Progress{5, 5, 0, 1000});
  EXPECT_FALSE(v.stop);
  EXPECT_NE(v.reason.find("no projection"), std::string::npos);
}

}  // namespace
}  // namespace mlcost::earlystop
