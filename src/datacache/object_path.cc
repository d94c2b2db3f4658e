#include "datacache/object_path.h"

#include "common/sha256.h"

namespace mlcost::datacache {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDotSegment(std::string_view s) { return s == "." || s == ".."; }

}  // namespace

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return InvalidArgument("malformed percent escape at offset " + std::to_string(i) + " in '" +
                             std::string(text) + "'");
    }
    int hi = HexValue(text[i + 1]);
    int lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) {
      return InvalidArgument("malformed percent escape at offset " + std::to_string(i) + " in '" +
                             std::string(text) + "'");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Result<ObjectPath> ParseObjectPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return InvalidArgument("request path must start with '/'");
  if (path.find('\0') != std::string_view::npos) return InvalidArgument("request path contains a NUL byte");
  if (path.find('\\') != std::string_view::npos) return InvalidArgument("request path contains a backslash");
  std::string_view rest = path.substr(1);
  ObjectPath out;
  size_t slash = rest.find('/');
  out.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) out.key = std::string(rest.substr(slash + 1));
  if (IsDotSegment(out.bucket)) return InvalidArgument("bucket name '" + out.bucket + "' is a path traversal");
  if (out.bucket.empty() && !out.key.empty()) return InvalidArgument("request path has an empty bucket name");
  size_t start = 0;
  while (start <= out.key.size() && !out.key.empty()) {
    size_t end = out.key.find('/', start);
    std::string_view segment = std::string_view(out.key).substr(start, end == std::string::npos ? end : end - start);
    if (IsDotSegment(segment)) {
      return InvalidArgument("object key '" + out.key + "' contains a '" + std::string(segment) +
                             "' path segment (path traversal is refused)");
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string ObjectId(const ObjectPath& path) { return Sha256Hex(path.bucket + "/" + path.key); }

}  // namespace mlcost::datacache
