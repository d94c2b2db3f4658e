#include "tracking/sql_bind.h"

#include <variant>

namespace mlcost::tracking {

Result<uint64_t> BindAll(store::PreparedStatement& stmt, uint64_t first, const std::vector<SqlValue>& values) {
  uint64_t i = first;
  for (const SqlValue& v : values) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      RETURN_IF_ERROR(stmt.BindString(i, *s));
    } else if (const auto* d = std::get_if<double>(&v)) {
      RETURN_IF_ERROR(stmt.BindDouble(i, *d));
    } else {
      RETURN_IF_ERROR(stmt.BindInt64(i, std::get<int64_t>(v)));
    }
    ++i;
  }
  return i;
}

std::string Placeholders(size_t n) {
  std::string s = "?";
  for (size_t i = 1; i < n; ++i) s += ", ?";
  return s;
}

Result<int64_t> MillisToMicros(int64_t ms, const char* what) {
  constexpr int64_t kMaxMillis = 253402300799999;  // 9999-12-31T23:59:59.999Z
  if (ms < 0 || ms > kMaxMillis) {
    return InvalidArgument(std::string(what) + " " + std::to_string(ms) +
                           " is out of range: expected milliseconds since the epoch between 0 and " +
                           std::to_string(kMaxMillis));
  }
  return ms * 1000;
}

}  // namespace mlcost::tracking
