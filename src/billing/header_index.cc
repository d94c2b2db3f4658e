#include "billing/header_index.h"

#include <cctype>

#include "common/ascii.h"
#include <set>

namespace mlcost::billing {

std::string HeaderIndex::Normalize(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  for (unsigned char c : name) {
    if (std::isalnum(c)) key.push_back(static_cast<char>(std::tolower(c)));
  }
  return key;
}

HeaderIndex::HeaderIndex(std::vector<std::string> names) : names_(std::move(names)) {
  std::set<std::string> seen_lower, reported;
  for (const std::string& name : names_) {
    std::string lower = AsciiLower(name);
    if (!seen_lower.insert(lower).second && reported.insert(lower).second) duplicates_.push_back(name);
    by_key_.emplace(Normalize(name), name);
  }
}

std::optional<std::string> HeaderIndex::Find(std::string_view name) const {
  auto it = by_key_.find(Normalize(name));
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

}  // namespace mlcost::billing
