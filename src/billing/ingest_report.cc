#include "billing/ingest_report.h"

namespace mlcost::billing {

nlohmann::json ToJson(const IngestReport& report) {
  using nlohmann::json;
  json files = json::array();
  for (const FileReport& f : report.files) {
    json periods = json::array();
    for (const BillingPeriod& p : f.billing_periods) periods.push_back({{"start", p.start}, {"end", p.end}});
    json file = {
        {"path", f.path},
        {"provider", f.provider},
        {"source_cost_column", f.source_cost_column},
        {"rows_read", f.rows_read},
        {"rows_loaded", f.rows_loaded},
        {"rows_rejected", f.rows_rejected},
        {"billing_periods", periods},
        {"accounts", f.accounts},
        {"account_count", f.account_count},
        {"currency", f.currencies.size() == 1 ? json(f.currencies[0]) : json(nullptr)},
        {"currencies", f.currencies},
        {"billed_cost", f.billed_cost.ToString()},
        {"effective_cost", f.effective_cost.ToString()},
        {"list_cost", f.list_cost.ToString()},
        {"rejected_billed_cost", f.rejected_billed_cost.ToString()},
        {"unmapped_columns", f.unmapped_columns},
    };
    if (f.contract_commitments) file["contract_commitment_cost"] = f.contract_commitment_cost.ToString();
    files.push_back(std::move(file));
  }
  json rules = json::array();
  for (const RuleReport& r : report.rules) {
    rules.push_back({{"rule", r.rule},
                     {"description", r.description},
                     {"action", r.action},
                     {"rows", r.rows},
                     {"examples", r.examples}});
  }
  return {{"ingest_id", report.ingest_id},
          {"started_at", FormatIso8601(report.started)},
          {"finished_at", FormatIso8601(report.finished)},
          {"files", files},
          {"rules", rules},
          {"rows_replaced", report.rows_replaced}};
}

}  // namespace mlcost::billing
