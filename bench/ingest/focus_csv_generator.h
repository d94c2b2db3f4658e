// FocusCsvGenerator: writes a large FOCUS 1.0 CSV by scaling a real sample export, for the ingest
// benchmark (docs/performance.md, "Ingest").
//
// The sample's rows are cycled. Every copy after the first moves its charge period to another day of
// the same month (start and end shifted by the same whole number of days), gives its ResourceId a
// suffix and its Tags a `cost_center` entry, and scales all its cost and quantity amounts by one
// factor in [0.50, 1.50] computed in integer arithmetic, so every amount stays exact decimal text
// with the sample's number of fraction digits. The header is the sample's, byte for byte. The
// output depends only on the sample, the row count and the seed.
#ifndef MLCOST_BENCH_INGEST_FOCUS_CSV_GENERATOR_H_
#define MLCOST_BENCH_INGEST_FOCUS_CSV_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "mlcost/status.h"

namespace mlcost::bench {

struct GeneratedFile {
  int64_t rows = 0;       // data lines written (the header not counted)
  int64_t bytes = 0;
  Decimal billed_cost;    // exact sum of the BilledCost column as written
};

class FocusCsvGenerator {
 public:
  // Reads and splits the sample. InvalidArgument if it is not a FOCUS CSV with ChargePeriodStart,
  // ChargePeriodEnd, BilledCost, ResourceId and Tags columns in "YYYY-MM-DD HH:MM:SS" times.
  static Result<FocusCsvGenerator> Load(const std::string& sample_path);

  // Writes `rows` data lines to `out_path` (replacing it). Internal on an I/O error. If `bad_row` > 0,
  // data row `bad_row` (file line bad_row + 1) gets the BilledCost "12.3.4", which is not a number
  // (and is left out of billed_cost): a bad-input test for the ingest.
  Result<GeneratedFile> Write(const std::string& out_path, int64_t rows, uint64_t seed, int64_t bad_row = 0) const;

  size_t sample_rows() const { return rows_.size(); }

 private:
  std::string header_;                         // the header line, without its newline
  std::vector<std::vector<std::string>> rows_;  // raw field text, quotes included
  size_t charge_start_ = 0, charge_end_ = 0, billed_cost_ = 0, resource_id_ = 0, tags_ = 0;
  std::vector<bool> is_amount_;  // per column: BilledCost, EffectiveCost, ListCost, ContractedCost, quantities
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_INGEST_FOCUS_CSV_GENERATOR_H_
