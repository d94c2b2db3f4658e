// Sizes and durations as typed on the command line: "500M", "10GiB", "1.5G", "30d", "500ms".
// One parser each, shared by `mlcost cache gc`, `mlcost datacache serve` and
// `mlcost serve --quota-interval`; every size option uses the default syntax, so "2GB" means the
// same (2,000,000,000 bytes) and "2G" / "2GiB" the same (2 GiB) everywhere.
#ifndef MLCOST_COMMON_BYTE_SIZE_H_
#define MLCOST_COMMON_BYTE_SIZE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost {

struct ByteSizeSyntax {
  // "1.5GiB": a fractional number, rounded down to whole bytes. Off: whole numbers only.
  bool fractions = true;
  // KB, MB, GB, TB are powers of 1000. Off: the trailing "B" is ignored (GB = G = GiB).
  bool decimal_b_units = true;
};

// Parses a number of bytes with an optional unit, case-insensitive: B; K, KiB, M, MiB, G, GiB,
// T, TiB (powers of 1024); KB, MB, GB, TB (see ByteSizeSyntax). InvalidArgument
// "size '<text>' ..." when it is empty, negative, fractional where `syntax` does not allow it,
// has an unknown unit or does not fit 64 bits.
Result<uint64_t> ParseByteSize(std::string_view text, ByteSizeSyntax syntax = {});

// A size for people: "512 B", "1.5 KiB", "1.2 GiB" (powers of 1024, one decimal; up to TiB).
std::string FormatByteSize(uint64_t bytes);

struct DurationSyntax {
  // What a bare number means, in microseconds; 0: a unit is required.
  Micros bare_unit = 0;
  // Accept "ms" (milliseconds).
  bool milliseconds = false;
  // Accept "d" (days) and "w" (weeks).
  bool days_and_weeks = true;
};

// Parses a non-negative number (fractions allowed: "0.5", "1.5h") and a unit: s, m, h and,
// per `syntax`, ms, d, w or none -> microseconds, rounded to the nearest. InvalidArgument
// "duration '<text>' ..." otherwise (also when it does not fit 64 bits).
Result<Micros> ParseDuration(std::string_view text, DurationSyntax syntax = {});

}  // namespace mlcost

#endif  // MLCOST_COMMON_BYTE_SIZE_H_
