// The pandas comparison of mlcost-ingest-bench: bench/ingest/focus_pandas.py, given mlcost's own
// FOCUS mapping as JSON, run by the system Python.
#ifndef MLCOST_BENCH_INGEST_PANDAS_PHASE_H_
#define MLCOST_BENCH_INGEST_PANDAS_PHASE_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/ingest/ingest_phase.h"

namespace mlcost::bench {

// billing::FocusMapping() as [{"target", "type": decimal|timestamp|tags|string, "sources": [names]}]:
// the column names each rule's templates reference, in order.
nlohmann::json FocusMappingSpec();

// Writes the spec beside `out_pickle`, runs `python script csv spec out_pickle --rows rows [--exact]`
// (rows 0 = all) and returns its figures (rows read, seconds, peak RSS, the BilledCost sum it got).
// `exact`: decimal.Decimal amounts instead of float64.
Result<PhaseResult> RunPandasPhase(const std::string& python, const std::string& script, const std::string& csv,
                                   const std::string& out_pickle, int64_t rows, bool exact);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_INGEST_PANDAS_PHASE_H_
