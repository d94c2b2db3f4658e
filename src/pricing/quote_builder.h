// BuildQuote: turns the catalog rows of one instance type (and of an accelerator GCP bills
// separately) into one PriceQuote, applying the region, zone and pricing-model rules of
// PriceCatalog::Lookup. Internal to the pricing library.
#ifndef MLCOST_PRICING_QUOTE_BUILDER_H_
#define MLCOST_PRICING_QUOTE_BUILDER_H_

#include <optional>
#include <string>
#include <vector>

#include "mlcost/status.h"
#include "pricing/catalog_row.h"
#include "pricing/price_catalog.h"

namespace mlcost::pricing {

// An accelerator priced apart from the VM (GCP), to add to the instance price.
struct AcceleratorAddOn {
  std::string name;
  int count = 1;
  // True when the accelerator was inferred from the machine type rather than asked for: then a
  // missing accelerator price leaves the VM price alone, with a note, instead of failing.
  bool inferred = false;
  // Every row the provider lists for this accelerator, all regions and counts.
  std::vector<const CatalogRow*> rows;
};

struct QuoteRequest {
  std::string provider;       // canonical
  std::string instance_type;  // as asked; "" for an accelerator-only quote
  std::string region;         // as asked; "" = unspecified
  bool spot = false;
  std::optional<int> gpu_count;
  // The instance type's rows (all regions); empty for an accelerator-only quote.
  std::vector<const CatalogRow*> base;
  bool builtin = false;  // `base` comes from the built-in table
  std::optional<AcceleratorAddOn> addon;
  // Notes decided by the caller, shown first.
  std::vector<std::string> notes;
};

// Returns the quote, or NotFound naming what is missing (region, pricing model, accelerator).
// Pure function of its arguments; thread-safe.
Result<PriceQuote> BuildQuote(const QuoteRequest& request);

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_QUOTE_BUILDER_H_
