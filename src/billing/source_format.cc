#include "billing/source_format.h"

#include <array>
#include <vector>

namespace mlcost::billing {
namespace {

struct FormatInfo {
  SourceFormat format;
  std::string_view name;
  // Detection: every column of one of these sets present. Also the columns a forced
  // --provider needs (the first set).
  std::vector<std::vector<std::string_view>> signatures;
};

const std::vector<FormatInfo>& Formats() {
  static const std::vector<FormatInfo>* formats = new std::vector<FormatInfo>{
      // FOCUS before the providers: a FOCUS export with x_ columns must not look native.
      {SourceFormat::kFocus, "focus",
       {{"BilledCost", "ChargePeriodStart", "BillingAccountId"},
        {"BilledCost", "ChargePeriodStart", "ProviderName"},
        {"BilledCost", "ChargePeriodStart", "EffectiveCost"},
        {"AmortizedCost", "ChargePeriodStart", "BillingAccountId"}}},
      {SourceFormat::kFocusContractCommitment, "focus-contract-commitment",
       {{"ContractCommitmentId", "ContractCommitmentCost"}}},
      {SourceFormat::kAwsCur, "aws-cur", {{"lineItem/UnblendedCost", "lineItem/UsageStartDate"}}},
      {SourceFormat::kGcp, "gcp", {{"billing_account_id", "cost", "usage_start_time"}}},
      {SourceFormat::kAzure, "azure",
       {{"MeterCategory", "CostInBillingCurrency", "Date"},
        {"MeterCategory", "Cost", "Date"},
        {"MeterCategory", "PreTaxCost", "UsageDateTime"}}},
      {SourceFormat::kOci, "oci", {{"cost/myCost", "lineItem/intervalUsageStart"}}},
  };
  return *formats;
}

}  // namespace

std::string_view FormatName(SourceFormat format) {
  for (const FormatInfo& info : Formats()) {
    if (info.format == format) return info.name;
  }
  return "unknown";
}

Result<SourceFormat> ParseFormatName(std::string_view name) {
  std::string accepted = "auto";
  for (const FormatInfo& info : Formats()) {
    if (info.name == name) return info.format;
    accepted += ", " + std::string(info.name);
  }
  return InvalidArgument("unknown provider \"" + std::string(name) + "\"; expected one of: " + accepted);
}

std::optional<SourceFormat> DetectFormat(const HeaderIndex& header) {
  for (const FormatInfo& info : Formats()) {
    for (const auto& signature : info.signatures) {
      bool all = true;
      for (std::string_view column : signature) all = all && header.Has(column);
      if (all) return info.format;
    }
  }
  return std::nullopt;
}

std::optional<std::string> MissingRequiredColumn(SourceFormat format, const HeaderIndex& header) {
  for (const FormatInfo& info : Formats()) {
    if (info.format != format) continue;
    std::optional<std::string> first_missing;
    for (const auto& signature : info.signatures) {
      std::optional<std::string> missing;
      for (std::string_view column : signature) {
        if (!header.Has(column)) {
          missing = std::string(column);
          break;
        }
      }
      if (!missing) return std::nullopt;
      if (!first_missing) first_missing = missing;
    }
    return first_missing;
  }
  return std::nullopt;
}

}  // namespace mlcost::billing
