// Provider names: one lower-case spelling per cloud ("aws", "gcp", "azure", "lambda", ...), the
// aliases users type, and how a catalog file tells which cloud it prices.
#ifndef MLCOST_PRICING_PROVIDER_NAMES_H_
#define MLCOST_PRICING_PROVIDER_NAMES_H_

#include <string>
#include <string_view>

#include "common/ascii.h"  // provider, instance type and region comparisons are case-insensitive
#include "mlcost/status.h"

namespace mlcost::pricing {

// Returns the canonical provider name for `name`: trimmed, lower-cased, and common aliases
// folded ("AWS", "Amazon" -> "aws"; "Google", "GCE" -> "gcp"; "Microsoft" -> "azure";
// "LambdaLabs" -> "lambda"). Names mlcost does not know are returned lower-cased, so a catalog
// of another cloud still works. "" stays "".
std::string NormalizeProvider(std::string_view name);

// True for the clouds SkyPilot publishes catalogs for (aws, gcp, azure, lambda, oci, ...).
bool IsKnownProvider(std::string_view canonical_name);

// Infers the provider of a catalog file from its path: the file name's first token
// ("aws_v8_vms.sample.csv" -> "aws", "gcp-vms.csv" -> "gcp"), else the parent directory, as in
// SkyPilot's own layout ("catalogs/v8/lambda/vms.csv" -> "lambda"). Returns InvalidArgument
// naming the file when neither is a known provider.
Result<std::string> InferProviderFromPath(std::string_view path);

}  // namespace mlcost::pricing

#endif  // MLCOST_PRICING_PROVIDER_NAMES_H_
