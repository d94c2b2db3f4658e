// IngestReport: what one ingest did, file by file — the answer to "does it match the console?".
#ifndef MLCOST_BILLING_INGEST_REPORT_H_
#define MLCOST_BILLING_INGEST_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/decimal.h"
#include "common/time_util.h"

namespace mlcost::billing {

struct BillingPeriod {
  std::string start;  // ISO 8601 UTC, inclusive
  std::string end;    // exclusive
};

struct FileReport {
  std::string path;
  std::string provider;            // the source format's name ("aws-cur", ...)
  std::string source_cost_column;  // the column the cost totals come from
  int64_t rows_read = 0;
  int64_t rows_loaded = 0;
  int64_t rows_rejected = 0;
  std::vector<BillingPeriod> billing_periods;
  std::vector<std::string> accounts;  // distinct BillingAccountId, at most kMaxListed
  int64_t account_count = 0;
  std::vector<std::string> currencies;
  // Exact sums over the loaded lines (DECIMAL(38,12)), in the file's currency. A file in several
  // currencies (`currency` null) adds them up as written; the explorer keeps currencies apart.
  Decimal billed_cost, effective_cost, list_cost;
  Decimal rejected_billed_cost;  // of the rejected lines, so loaded + rejected = the source
  std::vector<std::string> unmapped_columns;  // FOCUS columns this file cannot fill (NULL)
  // FOCUS 1.3 Contract Commitment files only.
  bool contract_commitments = false;
  Decimal contract_commitment_cost;
};

struct RuleReport {
  std::string rule, description, action;
  int64_t rows = 0;
  std::vector<std::string> examples;  // "file:line"
};

struct IngestReport {
  int64_t ingest_id = 0;
  Micros started = 0, finished = 0;
  std::vector<FileReport> files;
  std::vector<RuleReport> rules;  // only rules some line broke
  int64_t rows_replaced = 0;      // lines of earlier ingests this one restated (same account + period)
};

inline constexpr size_t kMaxListed = 50;

nlohmann::json ToJson(const IngestReport& report);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_INGEST_REPORT_H_
