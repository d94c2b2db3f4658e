// Base64 (RFC 4648, with padding) for opaque page tokens.
#ifndef MLCOST_COMMON_BASE64_H_
#define MLCOST_COMMON_BASE64_H_

#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost {

std::string Base64Encode(std::string_view data);
// InvalidArgument on characters outside the alphabet or a bad length.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace mlcost

#endif  // MLCOST_COMMON_BASE64_H_
