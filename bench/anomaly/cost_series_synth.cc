#include "anomaly/cost_series_synth.h"

#include <algorithm>
#include <random>

#include "costs/decimal_convert.h"
#include "store/database.h"

namespace mlcost::bench {
namespace {

constexpr double kWeekdayFactor[7] = {1.0, 1.0, 1.0, 1.0, 1.0, 0.55, 0.5};

void Scale(Decimal& value, double multiplier) { value = value * costs::DecimalFromDouble(multiplier); }

}  // namespace

Result<std::vector<LinePool>> ReadFocusLinePools(const std::string& csv_path, int min_days) {
  ASSIGN_OR_RETURN(auto db, store::Database::Open(":memory:"));
  ASSIGN_OR_RETURN(store::Connection conn, db->Connect());
  const std::string source =
      "(SELECT ServiceName AS s, CAST(ChargePeriodStart AS DATE) AS d, CAST(ListCost AS DECIMAL(38,12)) AS c "
      "FROM read_csv(?, types = {'ListCost': 'VARCHAR'}) WHERE ChargeCategory = 'Usage' "
      "AND TRY_CAST(ListCost AS DECIMAL(38,12)) > 0)";
  ASSIGN_OR_RETURN(store::QueryResult span,
                   conn.Run("SELECT CAST(max(d) - min(d) + 1 AS BIGINT) FROM " + source, csv_path));
  const int64_t days = span.RowCount() > 0 ? span.GetInt64(0, 0) : 0;
  ASSIGN_OR_RETURN(store::QueryResult rows,
                   conn.Run("WITH x AS " + source + ", keep AS (SELECT s FROM x GROUP BY s HAVING count(DISTINCT d) >= ?) "
                            "SELECT s, c FROM x WHERE s IN (SELECT s FROM keep) ORDER BY s, c",
                            csv_path, min_days));
  std::vector<LinePool> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    std::string service = rows.GetString(0, r);
    if (out.empty() || out.back().service != service) out.push_back(LinePool{std::move(service), {}, 0});
    out.back().lines.push_back(rows.GetDecimal(1, r));
  }
  for (LinePool& p : out) p.lines_per_day = days > 0 ? static_cast<double>(p.lines.size()) / days : 0;
  return out;
}

LabelledSeries SynthesizeCostSeries(const LinePool& pool, int replicate, const SynthOptions& o) {
  std::seed_seq seq{o.seed, static_cast<uint64_t>(replicate), static_cast<uint64_t>(pool.lines.size()),
                    static_cast<uint64_t>(std::hash<std::string>{}(pool.service))};
  std::mt19937_64 rng(seq);
  std::uniform_int_distribution<size_t> pick(0, pool.lines.empty() ? 0 : pool.lines.size() - 1);
  auto uniform = [&rng](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };

  LabelledSeries s;
  s.name = pool.service + " #" + std::to_string(replicate);
  s.step_seconds = 86400;
  s.values.assign(o.days, Decimal());
  s.missing.assign(o.days, false);
  for (int d = 0; d < o.days && !pool.lines.empty(); ++d) {
    std::poisson_distribution<int> count(o.scale * pool.lines_per_day * kWeekdayFactor[d % 7]);
    for (int k = count(rng); k > 0; --k) s.values[d] += pool.lines[pick(rng)];
  }

  std::vector<std::string> kinds = {"spike", "level_shift", "drift", "weekend"};
  std::shuffle(kinds.begin(), kinds.end(), rng);
  int cursor = o.first_event + static_cast<int>(uniform(0, 7));
  for (const std::string& kind : kinds) {
    int start = cursor;
    int length = 1;
    if (kind == "weekend") {
      while (start % 7 < 5) ++start;
    } else if (kind == "level_shift") {
      length = 7;
    } else if (kind == "drift") {
      length = 14;
    }
    if (start + length > o.days) break;
    if (kind == "spike") {
      Scale(s.values[start], uniform(1.6, 3.0));
    } else if (kind == "weekend") {
      Scale(s.values[start], uniform(2.0, 3.0));
    } else if (kind == "level_shift") {
      const double m = uniform(1.4, 2.0);
      for (int d = start; d < start + length; ++d) Scale(s.values[d], m);
    } else {
      const double m = uniform(1.5, 2.0);
      for (int k = 0; k < length; ++k) Scale(s.values[start + k], 1.0 + (m - 1.0) * (k + 1) / length);
    }
    s.windows.push_back(Window{start, start + length - 1, kind});
    cursor = start + length + 14 + static_cast<int>(uniform(0, 7));
  }
  return s;
}

}  // namespace mlcost::bench
