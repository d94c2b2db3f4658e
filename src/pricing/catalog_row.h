// CatalogRow: one priced line of an instance catalog — an instance type, or (GCP) an accelerator
// priced per attachment, in one region or zone.
#ifndef MLCOST_PRICING_CATALOG_ROW_H_
#define MLCOST_PRICING_CATALOG_ROW_H_

#include <optional>
#include <string>

#include "common/decimal.h"

namespace mlcost::pricing {

struct CatalogRow {
  // Canonical provider name (see NormalizeProvider).
  std::string provider;
  // The instance type as the file spells it; empty for an accelerator row (GCP prices GPUs and
  // TPUs as separate rows attached to a VM).
  std::string instance_type;
  // The accelerator the price includes (instance rows) or prices (accelerator rows); "" = none.
  std::string accelerator_name;
  // How many accelerators; may be fractional (AWS sells 1/8 GPUs). Absent when the file is blank.
  std::optional<Decimal> accelerator_count;
  std::optional<Decimal> vcpus;
  std::optional<Decimal> memory_gib;
  std::string region;
  // Availability zone; "" where the catalog has none (Lambda, Azure, the built-in table).
  std::string zone;
  // Hourly prices in USD. At least one of them is present in a stored row.
  std::optional<Decimal> price;
  std::optional<Decimal> spot_price;
  // Where the row came from: "catalog:<file name>" or "built-in".
  std::string source;
  // Built-in rows only: where the price was taken from, for the quote's note.
  std::string source_detail;
};

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_CATALOG_ROW_H_
