// PriceCatalog: hourly prices of cloud instances, from SkyPilot catalog files loaded with
// --catalog and from a small built-in table of common GPU instances.
#ifndef MLCOST_PRICING_PRICE_CATALOG_H_
#define MLCOST_PRICING_PRICE_CATALOG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "mlcost/status.h"
#include "pricing/row_index.h"
#include "pricing/skypilot_csv.h"

namespace mlcost::pricing {

struct PriceQuery {
  // "aws", "AWS", "gcp", "azure", "lambda", ... (case-insensitive, aliases accepted); "" = any
  // provider that lists the instance type (InvalidArgument when more than one does).
  std::string provider;
  // The provider's instance type ("p4d.24xlarge", "a2-highgpu-1g", "Standard_ND96asr_v4"),
  // case-insensitive. May be "" only when `accelerator` names a separately priced accelerator
  // (a GCP TPU such as "tpu-v6e-8").
  std::string instance_type;
  // A region ("us-east-1") or an availability zone ("us-central1-a"); "" = unspecified.
  std::string region;
  // "on-demand" (default; "ondemand" and "on_demand" accepted) or "spot".
  std::string pricing = "on-demand";
  // GPUs attached; prices GCP's separately billed accelerators. Default: the count the instance
  // type implies, else 1 when `accelerator` is set.
  std::optional<int> gpu_count;
  // For GCP, where GPUs are priced apart from the VM: the accelerator to add ("T4", "A100").
  // Ignored, with a note, where the instance price already includes its GPUs.
  std::string accelerator;
};

struct PriceQuote {
  // USD per hour for the whole instance (plus attached accelerators), exactly as the catalog
  // lists it, or the exact sum of two listed prices.
  Decimal hourly_price;
  std::string currency = "USD";
  // Where the number comes from, e.g. "catalog:aws_v8_vms.sample.csv us-east-1 on-demand" or
  // "built-in us-east-1 on-demand".
  std::string price_source;
  // GPUs the price covers (0 for CPU instances or when unknown).
  int gpu_count = 0;
  // Caveats a user should see next to the number ("region not set: lowest listed price ..."); ""
  // when none.
  std::string note;
  // The canonical provider, the instance type as the catalog spells it, the region (and zone,
  // when zone prices differed) whose price was used, and "on-demand" or "spot".
  std::string provider;
  std::string instance_type;
  std::string region;
  std::string zone;
  std::string pricing;
};

struct PriceCatalogOptions {
  // Fall back to the built-in table (BuiltinPriceRows) for instance types no loaded file lists.
  // Default true.
  bool use_builtin = true;
};

// Thread-compatible: load every file first, then share the catalog by const reference; Lookup()
// may then run on any number of threads at once. Load*() needs exclusive access.
class PriceCatalog {
 public:
  explicit PriceCatalog(PriceCatalogOptions options = {});

  // Loads one SkyPilot-format vms.csv (see ReadSkyPilotCsv for the accepted format and errors).
  // `provider` overrides the provider the file would otherwise give (Cloud column or file name).
  // Rows of this file replace, per (provider, instance type) and (provider, accelerator), rows of
  // files loaded before; every loaded file takes precedence over the built-in table. On error the
  // catalog is unchanged.
  Status LoadSkyPilotCsv(const std::string& path, std::string_view provider = "");

  // Prices `query`. Rules (docs/pricing.md):
  //  - a region given: that region's rows (or that zone's); zones of a region normally agree,
  //    else the lowest zone price is used and the note says so;
  //  - no region: if every listed region has the same price that price, else the lowest listed
  //    one, with "region not set: lowest listed price" in the note (still a real catalog price);
  //  - spot with no spot price listed is NotFound, never a silent on-demand fallback;
  //  - GCP: `accelerator` x `gpu_count` is added from the accelerator rows of the same region
  //    (a row for exactly that count if listed, else count x the one-accelerator price); for
  //    a2/a3 machine types the GPUs are inferred from the name when `accelerator` is empty.
  // Errors: InvalidArgument for an unknown pricing model, an empty instance type without an
  // accelerator, or an instance type several providers list while `provider` is empty;
  // NotFound with the reason for an unknown instance type, a region not listed, or a price not
  // listed for the requested pricing model.
  Result<PriceQuote> Lookup(const PriceQuery& query) const;

  // One entry per file loaded, in load order.
  const std::vector<CatalogFileStats>& loaded_files() const { return files_; }

 private:
  PriceCatalogOptions options_;
  RowIndex loaded_;
  RowIndex builtin_;
  std::vector<CatalogFileStats> files_;
};

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_PRICE_CATALOG_H_
