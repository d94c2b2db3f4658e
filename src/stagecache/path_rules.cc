#include "stagecache/path_rules.h"

#include <vector>

namespace mlcost::stagecache {

Result<std::string> CheckRelativePath(const std::string& path, const std::string& what) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument(what + " '" + path + "': " + why);
  };
  if (path.empty()) return InvalidArgument(what + " must not be empty");
  if (path.find('\0') != std::string::npos) return bad("contains a NUL byte");
  if (path.front() == '/') return bad("must be relative to the working directory, not absolute");
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") return bad("must not contain '..'");
    parts.push_back(part);
  }
  if (parts.empty()) return bad("names the working directory itself");
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

Result<std::string> CheckUserKey(const std::string& key) {
  if (key.empty() || key.size() > 200) return InvalidArgument("--key must be 1-200 characters");
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == ':' || c == '/' || c == '=' || c == '+';
    if (!ok) return InvalidArgument("--key '" + key + "': only A-Z a-z 0-9 . _ : / = + - are allowed");
  }
  if (key.front() == '/') return InvalidArgument("--key '" + key + "': must not be an absolute path");
  if (key == ".." || key.rfind("../", 0) == 0 || key.find("/../") != std::string::npos ||
      (key.size() >= 3 && key.compare(key.size() - 3, 3, "/..") == 0)) {
    return InvalidArgument("--key '" + key + "': must not contain '..'");
  }
  return key;
}

bool IsHexDigest(const std::string& key) {
  if (key.size() != 64) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace mlcost::stagecache
