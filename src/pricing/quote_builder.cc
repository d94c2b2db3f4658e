#include "pricing/quote_builder.h"

#include <algorithm>
#include <map>
#include <utility>

#include "pricing/provider_names.h"

namespace mlcost::pricing {
namespace {

// The best price of one region: the lowest zone price, and the highest for the note.
struct Location {
  std::string region;
  Decimal price;
  Decimal highest;
  std::string zone;  // zone of the lowest price; "" when all zones agree
  std::string source;
  std::string source_detail;
};

using Locations = std::map<std::string, Location>;  // by region name, so ties break stably

bool RegionMatches(const CatalogRow& row, const std::string& wanted_lower) {
  if (wanted_lower.empty() || row.region.empty()) return true;
  return AsciiLower(row.region) == wanted_lower ||
         (!row.zone.empty() && AsciiLower(row.zone) == wanted_lower);
}

std::vector<const CatalogRow*> InRegion(const std::vector<const CatalogRow*>& rows,
                                        const std::string& region) {
  std::string wanted = AsciiLower(region);
  std::vector<const CatalogRow*> out;
  for (const CatalogRow* row : rows) {
    if (RegionMatches(*row, wanted)) out.push_back(row);
  }
  return out;
}

Locations ByRegion(const std::vector<const CatalogRow*>& rows, bool spot) {
  Locations out;
  for (const CatalogRow* row : rows) {
    const std::optional<Decimal>& p = spot ? row->spot_price : row->price;
    if (!p) continue;
    auto [it, inserted] = out.try_emplace(row->region);
    Location& loc = it->second;
    if (inserted || *p < loc.price) {
      Decimal highest = inserted ? *p : loc.highest;
      loc = Location{row->region, *p, highest, row->zone, row->source, row->source_detail};
    }
    if (*p > loc.highest) loc.highest = *p;
  }
  for (auto& [region, loc] : out) {
    if (loc.price == loc.highest) loc.zone.clear();
  }
  return out;
}

bool IsWhole(Decimal d) { return d.units() % Decimal::kOne == 0; }

// The accelerator's price per region: a row listing exactly `count` if there is one, else
// `count` times the one-accelerator price.
Locations AcceleratorByRegion(const std::vector<const CatalogRow*>& rows, int count, bool spot,
                              std::vector<std::string>* scaled_regions) {
  std::vector<const CatalogRow*> exact, unit;
  for (const CatalogRow* row : rows) {
    if (!row->accelerator_count) continue;
    if (*row->accelerator_count == Decimal::FromInt(count)) exact.push_back(row);
    if (*row->accelerator_count == Decimal::FromInt(1)) unit.push_back(row);
  }
  Locations out = ByRegion(exact, spot);
  for (auto& [region, loc] : ByRegion(unit, spot)) {
    if (out.count(region)) continue;
    loc.price = loc.price.MulInt(count);
    loc.highest = loc.highest.MulInt(count);
    scaled_regions->push_back(region);
    out.emplace(region, std::move(loc));
  }
  return out;
}

std::string ListRegions(const std::vector<const CatalogRow*>& rows) {
  std::map<std::string, bool> regions;
  for (const CatalogRow* row : rows) regions[row->region] = true;
  std::string out;
  int shown = 0;
  for (const auto& [region, unused] : regions) {
    if (shown++ == 12) return out + ", ...";
    out += (out.empty() ? "" : ", ") + region;
  }
  return out;
}

}  // namespace

Result<PriceQuote> BuildQuote(const QuoteRequest& req) {
  const std::string pricing = req.spot ? "spot" : "on-demand";
  const std::string where = req.region.empty() ? "in any listed region" : "in region '" + req.region + "'";
  std::string what = "instance type '" + req.instance_type + "' (provider " + req.provider + ")";
  std::vector<std::string> notes = req.notes;
  Locations candidates;
  bool base_has_gpus = false;

  if (!req.base.empty()) {
    const std::string& source = req.base.front()->source;
    base_has_gpus = !req.base.front()->accelerator_name.empty();
    std::vector<const CatalogRow*> rows = InRegion(req.base, req.region);
    if (rows.empty() && req.builtin) {
      return NotFound("the built-in table prices " + what + " only in " + ListRegions(req.base) +
                      ", not in '" + req.region +
                      "'; load a SkyPilot catalog with --catalog for other regions");
    }
    if (rows.empty()) {
      return NotFound(what + " has no price for region '" + req.region + "' in " + source +
                      "; listed regions: " + ListRegions(req.base));
    }
    candidates = ByRegion(rows, req.spot);
    if (candidates.empty() && req.builtin && req.spot) {
      return NotFound("no spot price for " + what +
                      ": the built-in table lists on-demand prices only (spot "
                      "prices change hourly); load a SkyPilot catalog with --catalog to price spot");
    }
    if (candidates.empty()) {
      std::string other = req.spot ? "on-demand" : "spot";
      return NotFound("no " + pricing + " price for " + what + " " + where + " in " + source + " (only " +
                      other + " is listed); mlcost never substitutes one pricing model for the other");
    }
  }

  bool addon_applied = false;
  if (req.addon) {
    const AcceleratorAddOn& addon = *req.addon;
    std::string accel = "accelerator '" + addon.name + "' x" + std::to_string(addon.count);
    std::vector<std::string> scaled;
    Locations accel_prices =
        AcceleratorByRegion(InRegion(addon.rows, req.region), addon.count, req.spot, &scaled);
    if (req.base.empty()) {
      if (accel_prices.empty()) {
        return NotFound("no " + pricing + " price for " + accel + " (provider " + req.provider + ") " +
                        where);
      }
      candidates = std::move(accel_prices);
      addon_applied = true;
    } else {
      Locations combined;
      for (const auto& [region, loc] : candidates) {
        auto it = accel_prices.find(region);
        if (it == accel_prices.end()) continue;
        Location sum = loc;
        sum.price += it->second.price;
        sum.highest += it->second.price;
        combined.emplace(region, std::move(sum));
      }
      if (!combined.empty()) {
        candidates = std::move(combined);
        addon_applied = true;
      } else if (addon.inferred) {
        notes.push_back("GCP bills the GPUs of '" + req.instance_type +
                        "' separately and the catalog lists no " + pricing + " price for " + accel + " " +
                        where + ": this is the VM price only");
      } else {
        return NotFound("no " + pricing + " price for " + accel + " " + where + " alongside " + what);
      }
    }
    for (const std::string& region : scaled) {
      if (addon_applied && candidates.count(region)) {
        notes.push_back(addon.name + " x" + std::to_string(addon.count) + " in " + region + " priced as " +
                        std::to_string(addon.count) + " x the one-accelerator price");
      }
    }
  }

  const Location* chosen = nullptr;
  for (const auto& [region, loc] : candidates) {
    if (chosen == nullptr || loc.price < chosen->price) chosen = &loc;
  }
  if (candidates.size() > 1) {
    Decimal highest = chosen->price;
    for (const auto& [region, loc] : candidates) highest = std::max(highest, loc.price);
    if (highest == chosen->price) {
      notes.push_back("region not set: all " + std::to_string(candidates.size()) +
                      " listed regions have this price");
    } else {
      notes.push_back("region not set: lowest listed price (" + chosen->region + "; " +
                      std::to_string(candidates.size()) + " regions listed, up to " + highest.ToString() +
                      ")");
    }
  } else if (req.region.empty() && req.builtin && !chosen->region.empty()) {
    notes.push_back("region not set: the built-in price is for " + chosen->region);
  }
  if (!chosen->zone.empty()) {
    notes.push_back(pricing + " price differs across zones of " + chosen->region + " (" +
                    chosen->price.ToString() + " to " + chosen->highest.ToString() +
                    "): lowest zone price used (" + chosen->zone + ")");
  }

  PriceQuote quote;
  quote.hourly_price = chosen->price;
  quote.provider = req.provider;
  quote.instance_type = req.base.empty() ? "" : req.base.front()->instance_type;
  quote.region = chosen->region.empty() ? req.region : chosen->region;
  quote.zone = chosen->zone;
  quote.pricing = pricing;
  quote.price_source =
      chosen->source + " " + (chosen->region.empty() ? "any region" : chosen->region) + " " + pricing;
  if (addon_applied && !req.base.empty()) {
    quote.price_source += " + " + req.addon->name + " x" + std::to_string(req.addon->count);
  }
  if (base_has_gpus) {
    const CatalogRow& row = *req.base.front();
    Decimal count = row.accelerator_count.value_or(Decimal());
    if (IsWhole(count)) {
      quote.gpu_count = static_cast<int>(count.units() / Decimal::kOne);
    } else {
      notes.push_back("the instance has a fractional accelerator (" + count.ToString() + " x " +
                      row.accelerator_name + ")");
    }
    if (req.gpu_count && *req.gpu_count != quote.gpu_count) {
      notes.push_back("mlcost.gpu_count " + std::to_string(*req.gpu_count) + " differs from the " +
                      count.ToString() + " x " + row.accelerator_name + " of '" + row.instance_type +
                      "': the whole instance is billed");
    }
  } else if (addon_applied) {
    quote.gpu_count = req.addon->count;
  } else {
    quote.gpu_count = req.gpu_count.value_or(0);
  }
  if (req.builtin) {
    notes.push_back("built-in list price (" + chosen->source_detail +
                    "); load a current catalog with --catalog for exact prices");
  }
  for (const std::string& n : notes) quote.note += (quote.note.empty() ? "" : "; ") + n;
  return quote;
}

}  // namespace mlcost::pricing
