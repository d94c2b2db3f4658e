#include "cli/byte_size.h"

#include <string>

#include "common/ascii.h"

namespace mlcost::cli {

Result<uint64_t> ParseByteSize(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("size '" + std::string(text) + "' " + why +
                           " (examples: 500M, 10GiB, 2GB, 1048576)");
  };
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return bad("does not start with a whole number of bytes");
  std::string unit = AsciiLower(text.substr(digits));
  uint64_t multiplier = 0;
  if (unit.empty() || unit == "b") multiplier = 1;
  else if (unit == "k" || unit == "kib") multiplier = 1ull << 10;
  else if (unit == "m" || unit == "mib") multiplier = 1ull << 20;
  else if (unit == "g" || unit == "gib") multiplier = 1ull << 30;
  else if (unit == "t" || unit == "tib") multiplier = 1ull << 40;
  else if (unit == "kb") multiplier = 1000ull;
  else if (unit == "mb") multiplier = 1000ull * 1000;
  else if (unit == "gb") multiplier = 1000ull * 1000 * 1000;
  else if (unit == "tb") multiplier = 1000ull * 1000 * 1000 * 1000;
  else return bad("has an unknown unit '" + std::string(text.substr(digits)) + "'");
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - d) / 10) return bad("is too large");
    value = value * 10 + d;
  }
  if (value > UINT64_MAX / multiplier) return bad("is too large");
  return value * multiplier;
}

}  // namespace mlcost::cli
