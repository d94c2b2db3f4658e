#include "stagecache/key_builder.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "stagecache/cache_layout.h"

namespace mlcost::stagecache {
namespace {

using Json = nlohmann::json;

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

StageKey Finish(const Json& description) {
  StageKey k;
  k.description = description.dump();  // std::map-backed: keys sorted; compact; UTF-8 as given
  k.key = Sha256Hex(k.description);
  return k;
}

}  // namespace

StageKey BuildKey(const StageSpec& spec) {
  Json d = Json::object();
  d["format"] = kCacheFormat;
  d["cmd"] = spec.argv;
  std::vector<DepDigest> deps = spec.deps;
  std::sort(deps.begin(), deps.end(), [](const DepDigest& a, const DepDigest& b) { return a.path < b.path; });
  d["deps"] = Json::array();
  for (const DepDigest& dep : deps) {
    d["deps"].push_back({{"path", dep.path}, {"sha256", dep.sha256}, {"type", dep.is_dir ? "dir" : "file"}});
  }
  d["params"] = Json::object();
  for (const auto& [k, v] : spec.params) d["params"][k] = v;
  d["scripts"] = Json::array();
  for (const ScriptDigest& s : spec.scripts) d["scripts"].push_back({{"path", s.path}, {"sha256", s.sha256}});
  d["env"] = Json::object();
  for (const auto& [k, v] : spec.env) d["env"][k] = v ? Json(*v) : Json(nullptr);
  std::vector<std::string> outs = spec.outs;
  std::sort(outs.begin(), outs.end());
  d["outs"] = outs;
  return Finish(d);
}

StageKey BuildUserKey(const std::string& user_key) {
  return Finish(Json{{"format", kCacheFormat}, {"user_key", user_key}});
}

Result<std::vector<ScriptDigest>> ScriptsOf(const std::vector<std::string>& argv) {
  std::vector<ScriptDigest> out;
  auto add = [&](const std::string& path) -> Status {
    ASSIGN_OR_RETURN(FileDigest d, Sha256File(path));
    out.push_back({path, d.sha256});
    return Status::Ok();
  };
  if (argv.empty()) return out;
  if (argv[0].find('/') != std::string::npos && IsRegularFile(argv[0])) RETURN_IF_ERROR(add(argv[0]));
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].empty() || argv[i][0] == '-') continue;
    if (IsRegularFile(argv[i])) RETURN_IF_ERROR(add(argv[i]));
    break;
  }
  return out;
}

std::map<std::string, std::optional<std::string>> AllowedEnv(const std::vector<std::string>& names) {
  std::vector<std::string> all = {"LANG", "LC_ALL", "PYTHONHASHSEED", "TZ"};
  all.insert(all.end(), names.begin(), names.end());
  if (const char* extra = std::getenv("MLCOST_CACHE_ENV")) {
    std::string s = extra;
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      if (comma == std::string::npos) comma = s.size();
      if (comma > start) all.push_back(s.substr(start, comma - start));
      start = comma + 1;
    }
  }
  std::map<std::string, std::optional<std::string>> out;
  for (const std::string& n : all) {
    const char* v = std::getenv(n.c_str());
    out[n] = v == nullptr ? std::nullopt : std::optional<std::string>(v);
  }
  return out;
}

}  // namespace mlcost::stagecache
