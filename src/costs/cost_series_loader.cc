#include "costs/cost_series_loader.h"

#include <map>
#include <utility>

namespace mlcost::costs {

Result<CostMetric> ParseCostMetric(std::string_view text) {
  if (text == "effective" || text == "effective_cost") return CostMetric::kEffective;
  if (text == "billed" || text == "billed_cost") return CostMetric::kBilled;
  if (text == "list" || text == "list_cost") return CostMetric::kList;
  return InvalidArgument("invalid metric \"" + std::string(text) + "\": expected effective, billed or list");
}

const char* CostMetricColumn(CostMetric metric) {
  switch (metric) {
    case CostMetric::kEffective: return "effective_cost";
    case CostMetric::kBilled: return "billed_cost";
    case CostMetric::kList: return "list_cost";
  }
  return "effective_cost";
}

Result<Scope> ParseScope(std::string_view text) {
  Scope scope{std::string(text), "", ""};
  if (text == "total") return scope;
  if (text.starts_with("tag:")) {
    scope.tag_key = std::string(text.substr(4));
    if (!scope.tag_key.empty()) return scope;
  }
  for (const char* column : kScopeColumns) {
    if (text == column) {
      scope.column = column;
      return scope;
    }
  }
  std::string choices;
  for (const char* column : kScopeColumns) choices += std::string(column) + ", ";
  return InvalidArgument("invalid scope \"" + std::string(text) + "\": expected one of " + choices +
                         "tag:KEY (e.g. tag:team) or total");
}

Result<std::vector<CostSeries>> LoadDailySeries(store::Connection& conn, const SeriesQuery& query) {
  if (query.last_day < query.first_day) return InvalidArgument("the last day is before the first day");
  // The scope expression is built only from the fixed column list; the tag key is a parameter.
  std::string value_sql = "'total'";
  if (!query.scope.column.empty()) value_sql = query.scope.column;
  if (!query.scope.tag_key.empty()) value_sql = "map_extract(tags, $4)[1]";
  const std::string sql =
      "SELECT COALESCE(NULLIF(" + value_sql + ", ''), '" + kUnallocated + "') AS v, "
      "COALESCE(billing_currency, '') AS cur, "
      "CAST(CAST(charge_period_start AS DATE) - DATE '1970-01-01' AS BIGINT) AS d, "
      "SUM(" + CostMetricColumn(query.metric) + ") AS amount "
      "FROM costs WHERE charge_period_start >= DATE '1970-01-01' + CAST($1 AS INTEGER) "
      "AND charge_period_start < DATE '1970-01-01' + CAST($2 AS INTEGER) "
      "AND ($3 OR charge_category IS NULL OR charge_category NOT IN ('Purchase', 'Tax')) " +
      // Every statement takes the same four parameters; without a tag $4 is used harmlessly.
      (query.scope.tag_key.empty() ? std::string("AND $4 = $4 ") : std::string()) +
      "GROUP BY v, cur, d ORDER BY v, cur, d";
  ASSIGN_OR_RETURN(store::QueryResult rows, conn.Run(sql, query.first_day, query.last_day + 1,
                                                     query.include_purchase_and_tax, query.scope.tag_key));
  std::vector<CostSeries> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    std::string value = rows.GetString(0, r);
    std::string currency = rows.GetString(1, r);
    const int64_t day = rows.GetInt64(2, r);
    if (out.empty() || out.back().value != value || out.back().currency != currency) {
      CostSeries s;
      s.value = std::move(value);
      s.currency = std::move(currency);
      s.first_day = day;
      s.daily.assign(query.last_day - day + 1, Decimal());
      out.push_back(std::move(s));
    }
    if (!rows.IsNull(3, r)) out.back().daily[day - out.back().first_day] = rows.GetDecimal(3, r);
  }
  return out;
}

Result<std::optional<int64_t>> LastCostDay(store::Connection& conn) {
  ASSIGN_OR_RETURN(store::QueryResult rows,
                   conn.Query("SELECT CAST(CAST(max(charge_period_start) AS DATE) - DATE '1970-01-01' AS BIGINT) "
                              "FROM costs"));
  if (rows.RowCount() == 0 || rows.IsNull(0, 0)) return std::optional<int64_t>();
  return std::optional<int64_t>(rows.GetInt64(0, 0));
}

}  // namespace mlcost::costs
