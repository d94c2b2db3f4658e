#include "pricing/price_catalog.h"

#include <array>
#include <charconv>
#include <utility>

#include "pricing/builtin_prices.h"
#include "pricing/provider_names.h"
#include "pricing/quote_builder.h"

namespace mlcost::pricing {
namespace {

Result<bool> IsSpot(std::string_view pricing) {
  std::string p = AsciiLower(pricing);
  if (p.empty() || p == "on-demand" || p == "ondemand" || p == "on_demand") return false;
  if (p == "spot") return true;
  return InvalidArgument("pricing '" + std::string(pricing) + "' is not 'on-demand' or 'spot'");
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// GCP machine families whose GPUs are fixed by the name and billed as separate accelerator rows in
// SkyPilot's catalog: "a2-highgpu-8g" -> 8 x A100.
std::optional<std::pair<std::string, int>> InferGcpAccelerator(std::string_view instance_type) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kFamilies = {{
      {"a2-highgpu-", "A100"},
      {"a2-megagpu-", "A100"},
      {"a2-ultragpu-", "A100-80GB"},
      {"a3-highgpu-", "H100"},
      {"a3-megagpu-", "H100-MEGA"},
  }};
  std::string type = AsciiLower(instance_type);
  for (const auto& [prefix, accelerator] : kFamilies) {
    if (type.rfind(prefix, 0) != 0 || type.back() != 'g') continue;
    std::string_view digits = std::string_view(type).substr(prefix.size());
    digits.remove_suffix(1);
    int count = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc() || end != digits.data() + digits.size() || count <= 0) return std::nullopt;
    return std::make_pair(std::string(accelerator), count);
  }
  return std::nullopt;
}

}  // namespace

PriceCatalog::PriceCatalog(PriceCatalogOptions options) : options_(options) {
  if (options_.use_builtin) builtin_.Replace(BuiltinPriceRows());
}

Status PriceCatalog::LoadSkyPilotCsv(const std::string& path, std::string_view provider) {
  ASSIGN_OR_RETURN(SkyPilotCsv csv, ReadSkyPilotCsv(path, provider));
  loaded_.Replace(std::move(csv.rows));
  files_.push_back(std::move(csv.stats));
  return Status::Ok();
}

Result<PriceQuote> PriceCatalog::Lookup(const PriceQuery& query) const {
  QuoteRequest req;
  ASSIGN_OR_RETURN(req.spot, IsSpot(query.pricing));
  req.provider = NormalizeProvider(query.provider);
  req.instance_type = query.instance_type;
  req.region = query.region;
  req.gpu_count = query.gpu_count;
  if (query.gpu_count && *query.gpu_count < 0) {
    return InvalidArgument("gpu count " + std::to_string(*query.gpu_count) + " is negative");
  }
  if (query.instance_type.empty() && query.accelerator.empty()) {
    return InvalidArgument("no instance type to price");
  }

  if (!query.instance_type.empty()) {
    // Loaded files first; the built-in table only for types no loaded file lists.
    for (const RowIndex* index : {&loaded_, &builtin_}) {
      std::vector<std::string> providers = index->ProvidersOf(query.instance_type);
      if (req.provider.empty() && providers.size() > 1) {
        return InvalidArgument("instance type '" + query.instance_type +
                               "' is listed by several providers (" + Join(providers) +
                               "); set the provider");
      }
      std::string provider = req.provider.empty() && !providers.empty() ? providers.front() : req.provider;
      req.base = index->FindInstance(provider, query.instance_type);
      if (!req.base.empty()) {
        req.provider = provider;
        req.builtin = index == &builtin_;
        break;
      }
    }
    if (req.base.empty()) {
      std::string scope = req.provider.empty() ? "any provider" : "provider " + req.provider;
      return NotFound("instance type '" + query.instance_type + "' not in the price catalog (" + scope +
                      "); load a SkyPilot vms.csv that lists it with --catalog");
    }
  }

  const bool gpus_included = !req.base.empty() && !req.base.front()->accelerator_name.empty();
  AcceleratorAddOn addon;
  if (!query.accelerator.empty() && gpus_included) {
    const CatalogRow& row = *req.base.front();
    if (AsciiLower(query.accelerator) != AsciiLower(row.accelerator_name)) {
      req.notes.push_back("accelerator '" + query.accelerator + "' ignored: the price of '" +
                          row.instance_type + "' includes its " + row.accelerator_name + " GPUs");
    }
  } else if (!query.accelerator.empty()) {
    addon.name = query.accelerator;
    addon.count = query.gpu_count.value_or(1);
    if (!query.gpu_count && !req.base.empty()) {
      req.notes.push_back("gpu count not set: 1 x " + query.accelerator + " assumed");
    }
  } else if (!req.base.empty() && !gpus_included && req.provider == "gcp") {
    if (auto inferred = InferGcpAccelerator(query.instance_type)) {
      addon.name = inferred->first;
      addon.count = inferred->second;
      addon.inferred = true;
    }
  }
  if (!addon.name.empty()) {
    if (addon.count <= 0)
      return InvalidArgument("accelerator '" + addon.name + "' needs a gpu count of at least 1");
    if (req.provider.empty()) {
      std::vector<std::string> providers = loaded_.ProvidersOfAccelerator(addon.name);
      if (providers.size() > 1) {
        return InvalidArgument("accelerator '" + addon.name + "' is listed by several providers (" +
                               Join(providers) + "); set the provider");
      }
      if (providers.empty()) {
        return NotFound("accelerator '" + addon.name + "' not in the price catalog (any provider)");
      }
      req.provider = providers.front();
    }
    addon.rows = loaded_.FindAccelerator(req.provider, addon.name);
    if (addon.rows.empty() && !addon.inferred) {
      return NotFound(
          "accelerator '" + addon.name + "' not in the price catalog (provider " + req.provider +
          "); mlcost adds accelerators only where the catalog prices them apart from the VM (GCP)");
    }
    req.addon = std::move(addon);
  }
  return BuildQuote(req);
}

}  // namespace mlcost::pricing
