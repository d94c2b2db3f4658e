// Sizes on the command line: "500M", "10GiB", "2000000" (whole numbers only).
#ifndef MLCOST_CLI_BYTE_SIZE_H_
#define MLCOST_CLI_BYTE_SIZE_H_

#include <cstdint>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost::cli {

// Parses a whole number of bytes with an optional unit: B; K, KiB, M, MiB, G, GiB, T, TiB
// (powers of 1024); KB, MB, GB, TB (powers of 1000). Case-insensitive. InvalidArgument naming
// `text` when it is empty, negative, fractional, has an unknown unit or overflows 64 bits.
Result<uint64_t> ParseByteSize(std::string_view text);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_BYTE_SIZE_H_
