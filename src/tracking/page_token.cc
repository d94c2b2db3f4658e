#include "tracking/page_token.h"

#include <cstdlib>

#include "common/base64.h"

namespace mlcost::tracking {

std::string EncodePageToken(int64_t offset) {
  return Base64Encode("{\"offset\": " + std::to_string(offset) + "}");
}

Result<int64_t> DecodePageToken(std::string_view token) {
  if (token.empty()) return int64_t{0};
  auto decoded = Base64Decode(token);
  if (!decoded.ok()) return InvalidArgument("Invalid page token, could not base64-decode");
  const std::string& text = *decoded;
  size_t colon = text.find(':');
  if (text.rfind("{\"offset\"", 0) != 0 || colon == std::string::npos || text.back() != '}') {
    return InvalidArgument("Invalid page token, decoded value=" + text);
  }
  char* end = nullptr;
  long long offset = std::strtoll(text.c_str() + colon + 1, &end, 10);
  if (end == nullptr || *end != '}' || offset < 0) {
    return InvalidArgument("Invalid page token, decoded value=" + text);
  }
  return static_cast<int64_t>(offset);
}

}  // namespace mlcost::tracking
