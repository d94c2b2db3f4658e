// Opaque page tokens, encoded as MLflow's stores do: base64 of {"offset": N}.
#ifndef MLCOST_TRACKING_PAGE_TOKEN_H_
#define MLCOST_TRACKING_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::tracking {

std::string EncodePageToken(int64_t offset);
// "" -> 0. InvalidArgument("Invalid page token, could not base64-decode") etc. on garbage.
Result<int64_t> DecodePageToken(std::string_view token);

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_PAGE_TOKEN_H_
