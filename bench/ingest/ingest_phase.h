// The two in-process phases of mlcost-ingest-bench, each run in its own child process so that its
// peak RSS is its own: DuckDB reading the CSV straight into a table (the baseline), and
// billing::IngestService::Ingest into a fresh data directory.
#ifndef MLCOST_BENCH_INGEST_INGEST_PHASE_H_
#define MLCOST_BENCH_INGEST_INGEST_PHASE_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "mlcost/status.h"
#include "store/database.h"

namespace mlcost::bench {

struct PhaseResult {
  int64_t rows = 0;             // rows in the target table after the phase
  double seconds = 0;           // wall time of the load itself (not opening the database)
  int64_t peak_rss_bytes = 0;   // the process's VmHWM after the phase
  std::string billed_cost;      // mlcost: the ingest report's loaded + rejected BilledCost sum
  int64_t rows_rejected = 0;    // mlcost: rows the FOCUS rules rejected
  std::string error;            // mlcost: the ingest's error, if it failed (then `rows` is what the
                                // costs table holds afterwards)
};

nlohmann::json ToJson(const PhaseResult& r);
PhaseResult PhaseResultFromJson(const nlohmann::json& j);

// `CREATE TABLE t AS SELECT * FROM read_csv(csv, header, ',' '"' '"')` (types sniffed by DuckDB) into
// a new DuckDB file `db_path`, then count(*). Removes an existing file first.
Result<PhaseResult> RunBaselinePhase(const std::string& csv, const std::string& db_path,
                                     const store::DatabaseOptions& options);

// Migrates a new data directory `data_dir` (removed first) to the current schema and ingests `csv`
// with provider "auto", as `mlcost ingest` and POST /api/v1/ingests do. An ingest error is not a
// failure of the phase: it is returned in `error`.
Result<PhaseResult> RunMlcostPhase(const std::string& csv, const std::string& data_dir,
                                   const store::DatabaseOptions& options);

// The process's peak resident set size (VmHWM of /proc/self/status) in bytes; 0 if unknown.
int64_t PeakRssBytes();

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_INGEST_INGEST_PHASE_H_
