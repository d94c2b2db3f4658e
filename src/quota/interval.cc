#include "quota/interval.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace mlcost::quota {

Result<int64_t> ParseIntervalMs(std::string_view text) {
  std::string s(text);
  double unit_ms = 1000;
  auto ends_with = [&s](const char* suffix) {
    const std::string x(suffix);
    return s.size() > x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  if (ends_with("ms")) {
    unit_ms = 1;
    s.resize(s.size() - 2);
  } else if (ends_with("s")) {
    s.resize(s.size() - 1);
  } else if (ends_with("m")) {
    unit_ms = 60000;
    s.resize(s.size() - 1);
  } else if (ends_with("h")) {
    unit_ms = 3600000;
    s.resize(s.size() - 1);
  }
  char* end = nullptr;
  const double value = s.empty() ? NAN : std::strtod(s.c_str(), &end);
  if (s.empty() || end == nullptr || *end != '\0' || !std::isfinite(value) || value < 0 ||
      value * unit_ms > 86400000.0) {
    return InvalidArgument("--quota-interval '" + std::string(text) +
                           "' is not a duration like 60s, 2m, 500ms or 0 (off), at most 24h");
  }
  return static_cast<int64_t>(std::llround(value * unit_ms));
}

}  // namespace mlcost::quota
