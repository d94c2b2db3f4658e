#include "explorer/run_billing.h"

#include <algorithm>

namespace mlcost::explorer {

RunBill ProrateLines(const std::vector<BillLine>& lines, const std::vector<TimeWindow>& windows) {
  RunBill bill;
  for (const BillLine& line : lines) {
    const Micros duration = line.charge_end - line.charge_start;
    bool counted = false;
    for (const TimeWindow& w : windows) {
      if (duration <= 0) {
        if (line.charge_start >= w.start && line.charge_start < w.end) {
          bill.billed[line.currency] += line.billed;
          bill.effective[line.currency] += line.effective;
          counted = true;
        }
        continue;
      }
      const Micros overlap = std::min(w.end, line.charge_end) - std::max(w.start, line.charge_start);
      if (overlap <= 0) continue;
      counted = true;
      if (overlap == duration) {
        bill.billed[line.currency] += line.billed;
        bill.effective[line.currency] += line.effective;
        continue;
      }
      // Whole seconds keep the product far inside 128 bits; charge periods are whole seconds.
      const int64_t num = std::max<int64_t>(overlap / kMicrosPerSecond, 0);
      const int64_t den = std::max<int64_t>(duration / kMicrosPerSecond, 1);
      bill.billed[line.currency] += line.billed.MulInt(num).DivInt(den);
      bill.effective[line.currency] += line.effective.MulInt(num).DivInt(den);
    }
    if (counted) ++bill.lines;
  }
  return bill;
}

Result<RunBill> BillForResource(store::Connection& conn, const std::string& resource_id,
                                const std::vector<TimeWindow>& windows) {
  if (windows.empty()) return RunBill{};
  Micros lo = windows.front().start, hi = windows.front().end;
  for (const TimeWindow& w : windows) {
    lo = std::min(lo, w.start);
    hi = std::max(hi, w.end);
  }
  ASSIGN_OR_RETURN(auto r, conn.Run("SELECT charge_period_start, coalesce(charge_period_end, charge_period_start), "
                                    "coalesce(billing_currency, ''), coalesce(billed_cost, 0), "
                                    "coalesce(effective_cost, 0) FROM costs WHERE resource_id = ? "
                                    "AND charge_period_start < ? AND coalesce(charge_period_end, "
                                    "charge_period_start) >= ?",
                                    resource_id, store::Timestamp{hi}, store::Timestamp{lo}));
  std::vector<BillLine> lines;
  for (uint64_t i = 0; i < r.RowCount(); ++i) {
    lines.push_back({r.GetTimestamp(0, i), r.GetTimestamp(1, i), r.GetString(2, i), r.GetDecimal(3, i),
                     r.GetDecimal(4, i)});
  }
  return ProrateLines(lines, windows);
}

}  // namespace mlcost::explorer
