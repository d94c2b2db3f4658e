// Reads one SkyPilot-format instance catalog (skypilot-org/skypilot-catalog catalogs/v*/<cloud>/
// vms.csv) into CatalogRows, through DuckDB's CSV reader.
#ifndef MLCOST_PRICING_SKYPILOT_CSV_H_
#define MLCOST_PRICING_SKYPILOT_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlcost/status.h"
#include "pricing/catalog_row.h"

namespace mlcost::pricing {

// What a load kept and what it left out, so a caller can report it (nothing is dropped silently).
struct CatalogFileStats {
  std::string path;
  std::string file_name;
  int64_t data_rows = 0;  // rows under the header
  int64_t rows_loaded = 0;
  int64_t rows_not_offered = 0;    // GCP's 700.0 placeholder in every price column
  int64_t rows_without_price = 0;  // Price and SpotPrice both blank (Azure lists such sizes)
  int64_t rows_incomplete = 0;     // no InstanceType and no AcceleratorName, or no Region
};

struct SkyPilotCsv {
  std::vector<CatalogRow> rows;
  CatalogFileStats stats;
};

// Reads `path`. Columns are found by header name, case-insensitively, in any order; InstanceType,
// Price and Region are required; AcceleratorName, AcceleratorCount, vCPUs, MemoryGiB, SpotPrice,
// AvailabilityZone and a Cloud (or Provider) column are used when present; other columns
// (GpuInfo, Arch, Generation, ...) are ignored. Prices are parsed from the text with
// Decimal::Parse and never pass through a binary float. Blank prices and "nan" mean "not listed".
//
// The provider is `provider` when given, else the row's Cloud column, else inferred from the file
// path (InferProviderFromPath).
//
// Errors: NotFound when the file does not exist; InvalidArgument naming the file and the column
// when a required column is missing, naming the file, line and column when a price or count is
// not a non-negative decimal, and when the provider cannot be told; DuckDB's own CSV errors come
// back as InvalidArgument/Internal prefixed with the file name. Thread-safe (each call opens its
// own in-memory DuckDB).
Result<SkyPilotCsv> ReadSkyPilotCsv(const std::string& path, std::string_view provider = "");

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_SKYPILOT_CSV_H_
