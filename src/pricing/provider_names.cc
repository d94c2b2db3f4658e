#include "pricing/provider_names.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <utility>

namespace mlcost::pricing {
namespace {

// Clouds with a vms.csv in skypilot-org/skypilot-catalog (v5..v8), plus the ones mlcost's
// billing side knows.
constexpr std::array<std::string_view, 24> kKnownProviders = {
    "aws",        "gcp",    "azure",      "lambda",         "oci",        "ibm",
    "scp",        "runpod", "fluidstack", "paperspace",     "cudo",       "vast",
    "nebius",     "do",     "kubernetes", "vsphere",        "hyperbolic", "shadeform",
    "hyperstack", "verda",  "seeweb",     "primeintellect", "mithril",    "jarvislabs"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kAliases = {{
    {"amazon", "aws"},
    {"amazon web services", "aws"},
    {"ec2", "aws"},
    {"google", "gcp"},
    {"google cloud", "gcp"},
    {"google cloud platform", "gcp"},
    {"gce", "gcp"},
    {"gcloud", "gcp"},
    {"microsoft", "azure"},
    {"microsoft azure", "azure"},
    {"az", "azure"},
    {"lambdalabs", "lambda"},
    {"lambda labs", "lambda"},
    {"lambda cloud", "lambda"},
}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "aws_v8_vms.sample.csv" -> "aws"; "gcp-vms.csv" -> "gcp".
std::string FirstToken(std::string_view name) {
  size_t end = name.find_first_of("_-. ");
  return AsciiLower(name.substr(0, end));
}

}  // namespace

std::string NormalizeProvider(std::string_view name) {
  std::string lower = AsciiLower(Trim(name));
  for (const auto& [alias, canonical] : kAliases) {
    if (lower == alias) return std::string(canonical);
  }
  return lower;
}

bool IsKnownProvider(std::string_view canonical_name) {
  return std::find(kKnownProviders.begin(), kKnownProviders.end(), canonical_name) != kKnownProviders.end();
}

Result<std::string> InferProviderFromPath(std::string_view path) {
  std::filesystem::path p{std::string(path)};
  std::string from_file = NormalizeProvider(FirstToken(p.filename().string()));
  if (IsKnownProvider(from_file)) return from_file;
  std::string from_dir = NormalizeProvider(p.parent_path().filename().string());
  if (IsKnownProvider(from_dir)) return from_dir;
  return InvalidArgument("cannot tell which cloud catalog file '" + std::string(path) +
                         "' prices: it has no Cloud column, and neither its name nor its directory "
                         "starts with a known provider (aws, gcp, azure, lambda, oci, ...)");
}

}  // namespace mlcost::pricing
