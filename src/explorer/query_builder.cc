#include "explorer/query_builder.h"

namespace mlcost::explorer {
namespace {

constexpr Micros kMicrosPerDay = 86400LL * kMicrosPerSecond;

std::string Bucket(Granularity g, const char* column) {
  return "date_trunc('" + std::string(GranularityName(g)) + "', " + column + ")";
}

// " AND <expr> IN (...)" for one filter; an empty value matches NULL.
void AddFilter(SqlText& sql, const SqlText& expr, const std::vector<std::string>& values) {
  sql.Add(" AND (");
  const char* sep = "";
  for (const std::string& v : values) {
    sql.Add(sep);
    sep = " OR ";
    if (v.empty()) {
      sql.Add(expr).Add(" IS NULL");
    } else {
      sql.Add(expr).Add(" = ").Bind(v);
    }
  }
  sql.Add(")");
}

void AddRange(SqlText& sql, const CostQuery& q, const char* column) {
  if (q.since) sql.Add(" AND ").Add(column).Add(" >= ").Bind(store::Timestamp{*q.since});
  if (q.until) sql.Add(" AND ").Add(column).Add(" < ").Bind(store::Timestamp{*q.until});
}

void AddGroupOrder(SqlText& sql, size_t keys) {
  std::string list;
  for (size_t i = 1; i <= keys; ++i) list += (i > 1 ? ", " : "") + std::to_string(i);
  sql.Add(" GROUP BY ").Add(list).Add(" ORDER BY ").Add(list);
}

}  // namespace

SqlText DimensionSql(const Dimension& d, const AllocationSql& allocation) {
  SqlText s;
  switch (d.kind) {
    case Dimension::Kind::kColumn:
      s.Add(QuoteIdentifier(d.name));
      break;
    case Dimension::Kind::kTag:
      s.Add("tags[").Bind(d.name).Add("]");
      break;
    case Dimension::Kind::kAllocation:
      s.Add(allocation.at(d.name));
      break;
  }
  return s;
}

SqlText BuildCostSql(const CostQuery& q, const AllocationSql& allocation) {
  SqlText sql;
  sql.Add("SELECT billing_currency");
  if (q.granularity != Granularity::kNone) sql.Add(", ").Add(Bucket(q.granularity, "charge_period_start"));
  for (const Dimension& d : q.group_by) sql.Add(", ").Add(DimensionSql(d, allocation));
  sql.Add(", sum(").Add(MetricColumn(q.metric)).Add(")::DECIMAL(38,12), count(*) FROM costs WHERE true");
  AddRange(sql, q, "charge_period_start");
  for (const DimensionFilter& f : q.filters) AddFilter(sql, DimensionSql(f.dimension, allocation), f.values);
  AddGroupOrder(sql, 1 + (q.granularity != Granularity::kNone ? 1 : 0) + q.group_by.size());
  return sql;
}

bool RollupAnswers(const CostQuery& q) {
  if (q.granularity == Granularity::kHour) return false;
  if (q.group_by.size() > 1) return false;
  const Dimension* only = q.group_by.empty() ? nullptr : &q.group_by.front();
  for (const DimensionFilter& f : q.filters) {
    if (only != nullptr && !(f.dimension == *only)) return false;
    only = &f.dimension;
  }
  if (q.filters.size() > 1) return false;
  if (only != nullptr && only->kind != Dimension::Kind::kAllocation) return false;
  for (const auto& t : {q.since, q.until}) {
    if (t && ((*t % kMicrosPerDay) + kMicrosPerDay) % kMicrosPerDay != 0) return false;
  }
  return true;
}

SqlText BuildRollupSql(const CostQuery& q) {
  std::string dimension = "team";
  if (!q.group_by.empty()) dimension = q.group_by.front().name;
  if (!q.filters.empty()) dimension = q.filters.front().dimension.name;
  SqlText sql;
  sql.Add("SELECT billing_currency");
  if (q.granularity != Granularity::kNone) sql.Add(", ").Add(Bucket(q.granularity, "day"));
  if (!q.group_by.empty()) sql.Add(", value");
  sql.Add(", sum(").Add(MetricColumn(q.metric)).Add(")::DECIMAL(38,12), sum(lines)::BIGINT FROM cost_rollup_daily WHERE dimension = ");
  sql.Bind(dimension);
  AddRange(sql, q, "day");
  SqlText value;
  value.Add("value");
  for (const DimensionFilter& f : q.filters) AddFilter(sql, value, f.values);
  AddGroupOrder(sql, 1 + (q.granularity != Granularity::kNone ? 1 : 0) + q.group_by.size());
  return sql;
}

SqlText BuildRollupFill(const AllocationSql& allocation) {
  SqlText sql;
  sql.Add("INSERT INTO cost_rollup_daily WITH a AS (SELECT date_trunc('day', charge_period_start) AS day, "
          "billing_currency, billed_cost, effective_cost, list_cost, contracted_cost");
  for (const char* d : kAllocationDimensions) sql.Add(", ").Add(allocation.at(d)).Add(" AS a_").Add(d);
  sql.Add(" FROM costs) SELECT CASE");
  for (const char* d : kAllocationDimensions) {
    sql.Add(" WHEN grouping(a_").Add(d).Add(") = 0 THEN '").Add(d).Add("'");
  }
  sql.Add(" END, coalesce(a_team, a_user, a_project, a_model), day, billing_currency, sum(billed_cost), "
          "sum(effective_cost), sum(list_cost), sum(contracted_cost), count(*) FROM a GROUP BY GROUPING SETS (");
  const char* sep = "";
  for (const char* d : kAllocationDimensions) {
    sql.Add(sep).Add("(day, billing_currency, a_").Add(d).Add(")");
    sep = ", ";
  }
  sql.Add(")");
  return sql;
}

}  // namespace mlcost::explorer
