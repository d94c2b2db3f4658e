#include "explorer/cost_query.h"

#include <charconv>

namespace mlcost::explorer {
namespace {

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = comma + 1;
  }
  return out;
}

Result<std::optional<Micros>> OptionalTime(const std::string& text, const char* param) {
  if (text.empty()) return std::optional<Micros>();
  Result<Micros> t = ParseIso8601(text);
  if (!t.ok()) {
    return InvalidArgument("Invalid value \"" + text + "\" for parameter '" + param +
                           "': expected an ISO 8601 date or time such as 2024-09-01 or 2024-09-01T00:00:00Z");
  }
  return std::optional<Micros>(*t);
}

}  // namespace

bool IsAllocationDimension(std::string_view name) {
  for (const char* d : kAllocationDimensions) {
    if (name == d) return true;
  }
  return false;
}

std::string Dimension::Label() const { return kind == Kind::kTag ? "tag:" + name : name; }

Result<Dimension> ParseDimension(std::string_view text, const std::set<std::string>& columns) {
  if (text.substr(0, 4) == "tag:") {
    if (text.size() == 4) return InvalidArgument("dimension \"tag:\" needs a tag key, e.g. tag:environment");
    return Dimension{Dimension::Kind::kTag, std::string(text.substr(4))};
  }
  if (IsAllocationDimension(text)) return Dimension{Dimension::Kind::kAllocation, std::string(text)};
  if (columns.count(std::string(text)) != 0) return Dimension{Dimension::Kind::kColumn, std::string(text)};
  return InvalidArgument("unknown dimension \"" + std::string(text) +
                         "\": expected team, user, project, model, tag:KEY or one of the cost columns " +
                         Join(columns));
}

std::string_view GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kNone: return "none";
    case Granularity::kHour: return "hour";
    case Granularity::kDay: return "day";
    case Granularity::kWeek: return "week";
    case Granularity::kMonth: return "month";
  }
  return "none";
}

std::string_view MetricName(CostMetric m) {
  switch (m) {
    case CostMetric::kBilled: return "billed";
    case CostMetric::kEffective: return "effective";
    case CostMetric::kList: return "list";
    case CostMetric::kContracted: return "contracted";
  }
  return "billed";
}

std::string_view MetricColumn(CostMetric m) {
  switch (m) {
    case CostMetric::kBilled: return "billed_cost";
    case CostMetric::kEffective: return "effective_cost";
    case CostMetric::kList: return "list_cost";
    case CostMetric::kContracted: return "contracted_cost";
  }
  return "billed_cost";
}

std::string_view MetricBasis(CostMetric m) {
  switch (m) {
    case CostMetric::kBilled:
      return "billed (FOCUS BilledCost): what is invoiced, when it is invoiced; commitment purchases "
             "count in full when bought, covered usage counts as zero (not amortized)";
    case CostMetric::kEffective:
      return "amortized (FOCUS EffectiveCost): purchases spread over the usage they cover, after "
             "discounts; unused commitment shows as its own lines";
    case CostMetric::kList:
      return "list (FOCUS ListCost): public on-demand prices before any discount";
    case CostMetric::kContracted:
      return "contracted (FOCUS ContractedCost): negotiated prices before commitment discounts";
  }
  return "";
}

Result<std::pair<Dimension, std::string>> ParseFilter(std::string_view text,
                                                      const std::set<std::string>& columns) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("Invalid value \"" + std::string(text) + "\" for parameter 'filter': " + why +
                           " (expected DIMENSION:VALUE, DIMENSION=VALUE or tag:KEY:VALUE)");
  };
  size_t split = text.find('=');
  if (split == std::string_view::npos) {
    size_t from = text.substr(0, 4) == "tag:" ? 4 : 0;
    split = text.find(':', from);
  }
  if (split == std::string_view::npos) return bad("no ':' or '=' between dimension and value");
  Result<Dimension> dim = ParseDimension(text.substr(0, split), columns);
  if (!dim.ok()) return bad(dim.status().message());
  return std::make_pair(*dim, std::string(text.substr(split + 1)));
}

Result<CostQuery> ParseCostQuery(const CostQueryText& text, const std::set<std::string>& columns) {
  CostQuery q;
  for (const std::string& entry : text.group_by) {
    for (const std::string& part : SplitCommas(entry)) {
      ASSIGN_OR_RETURN(Dimension d, ParseDimension(part, columns));
      for (const Dimension& seen : q.group_by) {
        if (seen == d) return InvalidArgument("group_by lists \"" + part + "\" twice");
      }
      q.group_by.push_back(std::move(d));
    }
  }
  if (q.group_by.size() > kMaxGroupBy) {
    return InvalidArgument("group_by has " + std::to_string(q.group_by.size()) + " dimensions; at most " +
                           std::to_string(kMaxGroupBy));
  }

  static constexpr Granularity kGranularities[] = {Granularity::kNone, Granularity::kHour, Granularity::kDay,
                                                   Granularity::kWeek, Granularity::kMonth};
  if (!text.granularity.empty()) {
    bool found = false;
    for (Granularity g : kGranularities) {
      if (text.granularity == GranularityName(g)) {
        q.granularity = g;
        found = true;
      }
    }
    if (!found) {
      return InvalidArgument("Invalid value \"" + text.granularity +
                             "\" for parameter 'granularity': expected none, hour, day, week or month");
    }
  }

  static constexpr CostMetric kMetrics[] = {CostMetric::kBilled, CostMetric::kEffective, CostMetric::kList,
                                            CostMetric::kContracted};
  if (!text.metric.empty()) {
    bool found = false;
    for (CostMetric m : kMetrics) {
      if (text.metric == MetricName(m) || text.metric == MetricColumn(m)) {
        q.metric = m;
        found = true;
      }
    }
    if (text.metric == "amortized") {
      q.metric = CostMetric::kEffective;
      found = true;
    }
    if (!found) {
      return InvalidArgument("Invalid value \"" + text.metric +
                             "\" for parameter 'metric': expected billed, effective (amortized), list or contracted");
    }
  }

  for (const std::string& f : text.filters) {
    ASSIGN_OR_RETURN(auto parsed, ParseFilter(f, columns));
    auto& [dim, value] = parsed;
    DimensionFilter* target = nullptr;
    for (DimensionFilter& existing : q.filters) {
      if (existing.dimension == dim) target = &existing;
    }
    if (target == nullptr) {
      q.filters.push_back({dim, {}});
      target = &q.filters.back();
    }
    target->values.push_back(std::move(value));
  }

  ASSIGN_OR_RETURN(q.since, OptionalTime(text.since, "since"));
  ASSIGN_OR_RETURN(q.until, OptionalTime(text.until, "until"));
  if (q.since && q.until && *q.since >= *q.until) {
    return InvalidArgument("parameter 'since' must be before 'until' (the range is [since, until))");
  }

  if (!text.top.empty()) {
    int64_t top = -1;
    auto [end, ec] = std::from_chars(text.top.data(), text.top.data() + text.top.size(), top);
    if (ec != std::errc() || end != text.top.data() + text.top.size() || top < 0 || top > kMaxTop) {
      return InvalidArgument("Invalid value \"" + text.top + "\" for parameter 'top': expected an integer 0.." +
                             std::to_string(kMaxTop) + " (0 = every group)");
    }
    q.top = top;
  }
  return q;
}

}  // namespace mlcost::explorer
