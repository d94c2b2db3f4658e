#include "pricing/run_cost.h"

#include <charconv>
#include <string_view>

#include "pricing/provider_names.h"

namespace mlcost::pricing {
namespace {

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace

Result<PriceQuery> PriceQueryFromTags(const std::vector<KeyValue>& tags) {
  PriceQuery q;
  std::string pricing, gpu_count;
  for (const KeyValue& tag : tags) {
    if (tag.key == kTagInstanceType) q.instance_type = Trimmed(tag.value);
    if (tag.key == kTagProvider) q.provider = Trimmed(tag.value);
    if (tag.key == kTagRegion) q.region = Trimmed(tag.value);
    if (tag.key == kTagPricing) pricing = Trimmed(tag.value);
    if (tag.key == kTagGpuCount) gpu_count = Trimmed(tag.value);
    if (tag.key == kTagAccelerator) q.accelerator = Trimmed(tag.value);
  }
  if (q.instance_type.empty() && q.accelerator.empty()) {
    return InvalidArgument(std::string("no ") + kTagInstanceType + " tag");
  }
  std::string p = AsciiLower(pricing);
  if (p.empty() || p == "on-demand" || p == "ondemand" || p == "on_demand") {
    q.pricing = "on-demand";
  } else if (p == "spot") {
    q.pricing = "spot";
  } else {
    return InvalidArgument(std::string(kTagPricing) + " '" + pricing + "' is not 'on-demand' or 'spot'");
  }
  if (!gpu_count.empty()) {
    int n = 0;
    auto [end, ec] = std::from_chars(gpu_count.data(), gpu_count.data() + gpu_count.size(), n);
    if (ec != std::errc() || end != gpu_count.data() + gpu_count.size()) {
      return InvalidArgument(std::string(kTagGpuCount) + " '" + gpu_count + "' is not an integer");
    }
    if (n < 0) return InvalidArgument(std::string(kTagGpuCount) + " '" + gpu_count + "' is negative");
    q.gpu_count = n;
  }
  return q;
}

int64_t BillableSeconds(const std::vector<RunAttempt>& attempts, int64_t now_ms) {
  int64_t total = 0;
  for (const RunAttempt& a : attempts) {
    int64_t end = a.end_time_ms.value_or(now_ms);
    int64_t ms = end - a.start_time_ms;
    if (ms <= 0) continue;
    total += ms / 1000 + (ms % 1000 != 0 ? 1 : 0);
  }
  return total;
}

RunCost ComputeRunCost(const PriceCatalog& catalog, const std::vector<KeyValue>& tags,
                       const std::vector<RunAttempt>& attempts, int64_t now_ms) {
  RunCost cost;
  cost.billable_seconds = BillableSeconds(attempts, now_ms);
  Result<PriceQuery> query = PriceQueryFromTags(tags);
  if (!query.ok()) {
    cost.reason = query.status().message();
    return cost;
  }
  Result<PriceQuote> quote = catalog.Lookup(*query);
  if (!quote.ok()) {
    cost.reason = quote.status().message();
    return cost;
  }
  cost.known = true;
  cost.quote = std::move(quote).value();
  // Exact: the product is an integer number of 10^-12 units; DivInt rounds half-to-even once.
  cost.cost_so_far = cost.quote.hourly_price.MulInt(cost.billable_seconds).DivInt(3600);
  return cost;
}

}  // namespace mlcost::pricing
