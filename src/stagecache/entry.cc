#include "stagecache/entry.h"

#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "stagecache/cache_layout.h"
#include "stagecache/path_rules.h"

namespace mlcost::stagecache {

using Json = nlohmann::json;

uint64_t Entry::TotalBytes() const {
  uint64_t n = 0;
  for (const auto& o : outputs) n += o.size;
  return n;
}

std::string EntryToJson(const Entry& e) {
  Json j = {{"format", kCacheFormat},
            {"key", e.key},
            {"description", e.description},
            {"label", e.label},
            {"created_at", FormatIso8601(e.created_at)},
            {"run_seconds", e.run_seconds}};
  j["outputs"] = Json::array();
  for (const auto& o : e.outputs) {
    j["outputs"].push_back({{"path", o.path}, {"sha256", o.sha256}, {"size", o.size}, {"executable", o.executable}});
  }
  return j.dump(1) + "\n";
}

Result<Entry> ParseEntry(const std::string& json, const std::string& key) {
  auto bad = [&](const std::string& why) { return InvalidArgument("entry " + key + " is invalid: " + why); };
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object (truncated or corrupted)");
  try {
    if (j.value("format", "") != kCacheFormat) return bad("format is not " + std::string(kCacheFormat));
    Entry e;
    e.key = j.at("key").get<std::string>();
    if (e.key != key) return bad("it names key " + e.key);
    e.description = j.at("description").get<std::string>();
    if (Sha256Hex(e.description) != key) return bad("its key is not the SHA-256 of its description");
    e.label = j.value("label", "");
    auto created = ParseIso8601(j.at("created_at").get<std::string>());
    if (!created.ok()) return bad("created_at: " + created.status().message());
    e.created_at = *created;
    e.run_seconds = j.at("run_seconds").get<double>();
    for (const Json& o : j.at("outputs")) {
      OutputFile f;
      ASSIGN_OR_RETURN(f.path, CheckRelativePath(o.at("path").get<std::string>(), "output path"));
      f.sha256 = o.at("sha256").get<std::string>();
      if (!IsHexDigest(f.sha256)) return bad("output '" + f.path + "' has a malformed sha256");
      f.size = o.at("size").get<uint64_t>();
      f.executable = o.value("executable", false);
      e.outputs.push_back(std::move(f));
    }
    if (e.outputs.empty()) return bad("no outputs");
    return e;
  } catch (const Json::exception& ex) {
    return bad(std::string("missing or mistyped field: ") + ex.what());
  }
}

}  // namespace mlcost::stagecache
