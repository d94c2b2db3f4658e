#include "quota/interval.h"

#include <string>

#include "common/byte_size.h"

namespace mlcost::quota {

Result<int64_t> ParseIntervalMs(std::string_view text) {
  // A bare number is seconds; "ms" allowed; no days or weeks (the evaluator runs at most daily).
  Result<Micros> micros =
      ParseDuration(text, DurationSyntax{kMicrosPerSecond, /*milliseconds=*/true, /*days_and_weeks=*/false});
  if (!micros.ok() || *micros > 86400 * kMicrosPerSecond) {
    return InvalidArgument("--quota-interval '" + std::string(text) +
                           "' is not a duration like 60s, 2m, 500ms or 0 (off), at most 24h");
  }
  return (*micros + 500) / 1000;
}

}  // namespace mlcost::quota
