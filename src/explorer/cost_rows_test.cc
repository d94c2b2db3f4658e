#include "explorer/cost_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace mlcost::explorer {
namespace {

TEST(FoldTopN, ZeroKeepsEverything) {
  std::vector<CostRow> rows = {{"USD", 1, {"a"}, Decimal::FromInt(1), 1, false}};
  EXPECT_EQ(FoldTopN(rows, 0).size(), 1u);
}

// Random rows; the expected answer is computed here from first principles: per currency the
// groups with the N largest totals (ties: smaller key) stay, everything else lands in one
// "other" row per (period, currency).
TEST(FoldTopN, MatchesAnIndependentComputation) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<CostRow> rows;
    for (int period = 0; period < 4; ++period) {
      for (const char* currency : {"USD", "EUR"}) {
        for (int g = 0; g < 9; ++g) {
          if (rng() % 3 == 0) continue;  // sparse: not every group in every period
          CostRow r;
          r.currency = currency;
          r.period = period * 1000;
          r.keys = {std::string(1, static_cast<char>('a' + g)), std::nullopt};
          r.cost = Decimal::FromUnits(static_cast<int128>(rng() % 5000000) - 1000000);
          r.lines = 1 + rng() % 3;
          rows.push_back(r);
        }
      }
    }
    const int64_t top = 1 + rng() % 5;
    std::vector<CostRow> got = FoldTopN(rows, top);

    for (const char* currency : {"USD", "EUR"}) {
      std::vector<std::pair<std::string, Decimal>> totals;
      for (int g = 0; g < 9; ++g) {
        std::string key(1, static_cast<char>('a' + g));
        Decimal t;
        bool seen = false;
        for (const CostRow& r : rows) {
          if (r.currency == currency && r.keys[0] == key) {
            t += r.cost;
            seen = true;
          }
        }
        if (seen) totals.push_back({key, t});
      }
      std::sort(totals.begin(), totals.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      std::set<std::string> kept;
      for (size_t i = 0; i < totals.size() && i < static_cast<size_t>(top); ++i) kept.insert(totals[i].first);

      for (int period = 0; period < 4; ++period) {
        Decimal other, other_got, all, all_got;
        int64_t other_lines = 0, other_lines_got = 0, other_rows = 0;
        for (const CostRow& r : rows) {
          if (r.currency != currency || r.period != period * 1000) continue;
          all += r.cost;
          if (!kept.count(*r.keys[0])) {
            other += r.cost;
            other_lines += r.lines;
          }
        }
        for (const CostRow& r : got) {
          if (r.currency != currency || r.period != period * 1000) continue;
          all_got += r.cost;
          if (r.other) {
            ++other_rows;
            other_got += r.cost;
            other_lines_got += r.lines;
            EXPECT_EQ(r.keys, (std::vector<std::optional<std::string>>{"other", "other"}));
          } else {
            EXPECT_TRUE(kept.count(*r.keys[0])) << *r.keys[0];
          }
        }
        EXPECT_EQ(all_got, all);
        EXPECT_EQ(other_got, other);
        EXPECT_EQ(other_lines_got, other_lines);
        EXPECT_LE(other_rows, 1);
      }
    }
  }
}

}  // namespace
}  // namespace mlcost::explorer
