// The built-in price table: on-demand list prices of common GPU instances, used when no catalog
// file loaded with --catalog knows the instance type.
#ifndef MLCOST_PRICING_BUILTIN_PRICES_H_
#define MLCOST_PRICING_BUILTIN_PRICES_H_

#include <vector>

#include "pricing/catalog_row.h"

namespace mlcost::pricing {

// Returns the built-in rows: on-demand only (spot prices move hourly), one reference region per
// provider (AWS us-east-1, GCP us-central1, Azure eastus; Lambda's prices are the same in every
// region, so its rows have region "" meaning "any"). GCP rows include the attached GPUs. Every
// price was copied as text from skypilot-org/skypilot-catalog; docs/pricing.md lists the files and
// commits. The vector is built once and lives for the program; thread-safe.
const std::vector<CatalogRow>& BuiltinPriceRows();

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_BUILTIN_PRICES_H_
