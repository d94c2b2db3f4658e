#include "pruning/hyperband_pruner.h"

#include <gtest/gtest.h>

#include "pruning/crc32.h"
#include "pruning/test_study.h"

namespace mlcost::pruning {
namespace {

using testing::Config;
using testing::TestStudy;

TEST(Crc32Test, StandardCheckValueAndPython) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the CRC-32 catalogue's check value
  EXPECT_EQ(Crc32("parity_0"), 2466030973u);   // binascii.crc32(b"parity_0")
}

TEST(HyperbandTest, BudgetsFollowOptunasFormula) {
  // n_brackets = floor(log_3(30)) + 1 = 4; ceil(4 * 3^s / (s + 1)) for s = 3, 2, 1, 0.
  EXPECT_EQ(HyperbandBudgets(1, 30, 3), (std::vector<int64_t>{27, 12, 6, 4}));
  // log(81) / log(3) rounds to just above 4 in double, as in Python: 5 brackets.
  EXPECT_EQ(HyperbandBudgets(1, 81, 3), (std::vector<int64_t>{81, 34, 15, 8, 5}));
  EXPECT_TRUE(HyperbandBudgets(10, 2, 3).empty());  // floor(log_3(0.2)) + 1 = -1: no bracket
}

TEST(HyperbandTest, BracketIdsMatchPythonsCrc32Hashing) {
  // [HyperbandPruner._get_bracket_id for "study_0" .. "study_19"] with budgets 27, 12, 6, 4,
  // computed with Python's binascii.crc32.
  const std::vector<size_t> expected = {1, 0, 1, 0, 0, 1, 1, 0, 0, 3, 1, 2, 1, 1, 0, 1, 3, 0, 1, 1};
  const std::vector<int64_t> budgets = {27, 12, 6, 4};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(HyperbandBracketId("study", i, budgets), expected[i]) << i;
  }
}

TEST(HyperbandTest, AutoMaxResourceWaitsForACompleteTrial) {
  const PrunerConfig c = Config(R"({"type":"hyperband"})");
  TestStudy s;
  size_t t = s.Ask();
  s.Report(t, 1, 5);
  EXPECT_FALSE(s.ShouldPrune(t, c));
  EXPECT_TRUE(s.study().trials[t].system_attrs.empty());
}

TEST(HyperbandTest, EachBracketSeesOnlyItsTrials) {
  // Trials 1 and 3 of study "study" are in bracket 0 (min_early_stopping_rate 0, promotion at
  // step 1), trial 0 and 2 in bracket 1 (promotion at step 3).
  const PrunerConfig c =
      Config(R"({"type":"hyperband","params":{"min_resource":1,"max_resource":30}})");
  TestStudy s;
  for (int i = 0; i < 4; ++i) s.Ask();
  s.Report(1, 0.1, 1);
  EXPECT_FALSE(s.ShouldPrune(1, c));
  s.Report(0, 0.01, 3);  // a better value, but in the other bracket
  EXPECT_FALSE(s.ShouldPrune(0, c));
  // Best in its own bracket (0.1); with trial 0's 0.01 mixed in it would be pruned.
  s.Report(3, 0.05, 1);
  EXPECT_FALSE(s.ShouldPrune(3, c));
  s.Report(2, 0.02, 3);  // worse than trial 0 in bracket 1: pruned
  EXPECT_TRUE(s.ShouldPrune(2, c));
}

}  // namespace
}  // namespace mlcost::pruning
