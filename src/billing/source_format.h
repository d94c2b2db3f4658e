// SourceFormat: which billing export a file is, named as `--provider` spells it, and detection
// from the header alone.
#ifndef MLCOST_BILLING_SOURCE_FORMAT_H_
#define MLCOST_BILLING_SOURCE_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "billing/header_index.h"
#include "mlcost/status.h"

namespace mlcost::billing {

enum class SourceFormat {
  kFocus,                    // FOCUS 1.0-preview .. 1.3 cost and usage (any provider)
  kFocusContractCommitment,  // FOCUS 1.3 Contract Commitment dataset
  kAwsCur,                   // AWS CUR: legacy `lineItem/...`, Athena / CUR 2.0 snake_case
  kGcp,                      // GCP Cloud Billing export (BigQuery standard / detailed)
  kAzure,                    // Azure cost details: EA / MCA, actual / amortized, legacy usage
  kOci,                      // OCI cost reports
};

// "focus", "focus-contract-commitment", "aws-cur", "gcp", "azure", "oci".
std::string_view FormatName(SourceFormat format);

// Parses a --provider value other than "auto". InvalidArgument listing the accepted names.
Result<SourceFormat> ParseFormatName(std::string_view name);

// The format whose signature columns the header has, or nullopt when none matches.
std::optional<SourceFormat> DetectFormat(const HeaderIndex& header);

// Whether `header` has the columns the mapping of `format` cannot do without (used to reject a
// forced --provider that does not fit the file). Returns the first missing column's name.
std::optional<std::string> MissingRequiredColumn(SourceFormat format, const HeaderIndex& header);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_SOURCE_FORMAT_H_
