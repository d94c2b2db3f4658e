#include "quota/quota_status.h"

#include <algorithm>

namespace mlcost::quota {

std::optional<Decimal> PeriodEndForecast(const Decimal& use, const PeriodWindow& window, Micros now) {
  if (!window.start || !window.end || now < *window.start || now >= *window.end) return std::nullopt;
  const int64_t elapsed = std::max<int64_t>(1, (now - *window.start) / kMicrosPerSecond);
  const int64_t left = (*window.end - now) / kMicrosPerSecond;
  return use + use.MulInt(left).DivInt(elapsed);
}

QuotaStatus Judge(const Quota& quota, const QuotaUse& use, const PeriodWindow& window, Micros now) {
  QuotaStatus s;
  s.window = window;
  s.use = use;
  s.limit = quota.limit;
  const Decimal total = use.total();
  s.fraction = quota.limit.IsZero() ? 0 : total.ToDouble() / quota.limit.ToDouble();
  s.forecast = PeriodEndForecast(total, window, now);
  bool warning = false;
  for (const Decimal& t : quota.thresholds) {
    if (total >= t * quota.limit) {
      s.crossed.push_back(t);
      if (t < Decimal::FromInt(1)) warning = true;
    }
  }
  if (total >= quota.limit) {
    s.state = kStateExceeded;
  } else if (s.forecast && *s.forecast > quota.limit) {
    s.state = kStateForecast;
  } else if (warning) {
    s.state = kStateWarning;
  } else {
    s.state = kStateOk;
  }
  return s;
}

nlohmann::json QuotaStatusToJson(const Quota& quota, const QuotaStatus& s, Micros now) {
  using nlohmann::json;
  json crossed = json::array();
  for (const Decimal& t : s.crossed) crossed.push_back(t.ToString());
  return json{{"quota", QuotaToJson(quota)},
              {"period_start", s.window.start ? json(FormatIso8601(*s.window.start)) : json(nullptr)},
              {"period_end", s.window.end ? json(FormatIso8601(*s.window.end)) : json(nullptr)},
              {"use", s.use.total().ToString()},
              {"use_runs", s.use.runs.ToString()},
              {"use_billed", s.use.billed.ToString()},
              {"runs_counted", s.use.runs_counted},
              {"runs_unpriced", s.use.runs_unpriced},
              {"billed_lines", s.use.billed_lines},
              {"limit", s.limit.ToString()},
              {"unit", quota.unit},
              {"currency", quota.currency.empty() ? json(nullptr) : json(quota.currency)},
              {"fraction", s.fraction},
              {"forecast", s.forecast ? json(s.forecast->ToString()) : json(nullptr)},
              {"state", s.state},
              {"crossed_thresholds", crossed},
              {"as_of", FormatIso8601(now)}};
}

}  // namespace mlcost::quota
