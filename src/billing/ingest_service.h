// IngestService: loads billing exports into the FOCUS `costs` table.
//
// One ingest is one transaction: every file is mapped and inserted (DuckDB reads the files; no
// hand-written CSV parser), rules are checked, and then the lines of earlier ingests for the same
// (BillingAccountId, BillingPeriodStart) pairs are deleted — a provider's restated month replaces
// the old one, and totals never double. Any failure rolls everything back: the store is unchanged.
#ifndef MLCOST_BILLING_INGEST_SERVICE_H_
#define MLCOST_BILLING_INGEST_SERVICE_H_

#include <mutex>
#include <string>
#include <vector>

#include "billing/ingest_report.h"
#include "common/clock.h"
#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::billing {

struct IngestRequest {
  std::vector<std::string> paths;  // files or folders on this machine
  std::string provider = "auto";   // "auto" or a SourceFormat name
};

struct IngestSummary {
  int64_t ingest_id;
  std::string started_at, finished_at;
  std::string report_json;
};

class IngestService {
 public:
  // `db` and `clock` must outlive the service.
  IngestService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Ingests every file of `request` as one unit. Errors name the file (and, for values that do not
  // parse, the line and column): NotFound for a missing path, InvalidArgument for a file that is not
  // a bill of a known format, a forced provider that does not fit, duplicate columns, unparseable
  // numbers or times, truncated or corrupt files. Thread-safe; ingests run one at a time.
  Result<IngestReport> Ingest(const IngestRequest& request);

  // The most recent ingests, newest first.
  Result<std::vector<IngestSummary>> List(int64_t limit);
  // One ingest's stored report. NotFound if there is no such ingest.
  Result<IngestSummary> Get(int64_t ingest_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
};

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_INGEST_SERVICE_H_
