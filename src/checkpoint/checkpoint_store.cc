#include "checkpoint/checkpoint_store.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace mlcost::checkpoint {
namespace {

std::string BaseName(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

}  // namespace

CheckpointStore::CheckpointStore(const StoreOptions& options)
    : clock_(options.clock != nullptr ? options.clock : &SystemClock::Get()), warn_(options.warn) {}

void CheckpointStore::Warn(const std::string& warning) const {
  if (warn_) {
    warn_(warning);
  } else {
    std::fprintf(stderr, "mlcost: warning: %s\n", warning.c_str());
  }
}

Result<Manifest> CheckpointStore::Save(const std::string& name, const std::vector<std::string>& local_files,
                                       std::optional<int64_t> step,
                                       const std::map<std::string, double>& metrics) {
  std::vector<SaveFile> files;
  for (const std::string& f : local_files) files.push_back({f, BaseName(f)});
  return Save(name, files, step, metrics);
}

Result<Manifest> CheckpointStore::Save(const std::string& name, const std::vector<SaveFile>& files,
                                       std::optional<int64_t> step,
                                       const std::map<std::string, double>& metrics) {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  if (files.empty()) return InvalidArgument("checkpoint '" + name + "': no files to save");
  std::set<std::string> paths;
  for (const SaveFile& f : files) {
    RETURN_IF_ERROR(ValidateDataPath(f.path));
    if (!paths.insert(f.path).second) {
      return InvalidArgument("checkpoint '" + name + "': two files would be stored as '" + f.path + "'");
    }
  }
  for (const auto& [k, v] : metrics) {
    if (k.empty() || !std::isfinite(v)) {
      return InvalidArgument("checkpoint '" + name + "': metric '" + k +
                             "' must have a name and a finite value");
    }
  }
  auto existing = ReadManifest(name);
  if (existing.ok()) return AlreadyExists("checkpoint '" + name + "' already exists in " + uri());
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  // Data without a manifest is what a crashed save leaves: not a checkpoint, replace it.
  ASSIGN_OR_RETURN(auto leftover, ListData(name));
  if (!leftover.empty()) RETURN_IF_ERROR(RemoveData(name));

  Manifest m;
  m.name = name;
  m.created_at_us = clock().Now();
  m.created_at = FormatCreatedAt(m.created_at_us);
  m.step = step;
  m.metrics = metrics;
  auto fail = [&](const Status& s) {
    (void)RemoveData(name);
    return s.WithContext("saving checkpoint '" + name + "' to " + uri());
  };
  for (const SaveFile& f : files) {
    auto stored = PutData(name, f);
    if (!stored.ok()) return fail(stored.status());
    m.files.push_back(std::move(stored).value());
  }
  Status s = PutManifest(name, ManifestToJson(m));
  if (!s.ok()) return fail(s);
  return m;
}

Result<std::vector<CheckpointEntry>> CheckpointStore::List() {
  ASSIGN_OR_RETURN(std::vector<NameInfo> names, ListNames());
  std::vector<CheckpointEntry> out;
  for (const NameInfo& n : names) {
    CheckpointEntry e;
    e.name = n.name;
    e.manifest_mtime = n.manifest_mtime;
    auto text = ReadManifest(n.name);
    if (text.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
    if (!text.ok()) return text.status();
    auto parsed = ParseManifest(*text, n.name);
    if (parsed.ok()) {
      e.manifest = std::move(parsed).value();
    } else {
      e.problem = parsed.status().message();
    }
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const CheckpointEntry& a, const CheckpointEntry& b) {
    if (a.manifest.has_value() != b.manifest.has_value()) return !a.manifest.has_value();
    if (!a.manifest.has_value()) return a.name < b.name;
    return CheckpointOlder(*a.manifest, *b.manifest);
  });
  return out;
}

std::string CheckpointStore::Problem(const Manifest& manifest) {
  auto data = ListData(manifest.name);
  if (!data.ok()) return "cannot list its data: " + data.status().message();
  for (const ManifestFile& f : manifest.files) {
    auto it = data->find(f.path);
    if (it == data->end()) return "file '" + f.path + "' is missing";
    if (it->second != f.size) {
      return "file '" + f.path + "' is " + std::to_string(it->second) + " bytes, the manifest says " +
             std::to_string(f.size);
    }
  }
  for (const ManifestFile& f : manifest.files) {
    auto digest = DigestData(manifest.name, f.path);
    if (!digest.ok()) return "file '" + f.path + "': " + digest.status().message();
    if (digest->size != f.size) {
      return "file '" + f.path + "' is " + std::to_string(digest->size) + " bytes, the manifest says " +
             std::to_string(f.size);
    }
    if (digest->sha256 != f.sha256) {
      return "file '" + f.path + "': sha256 is " + digest->sha256 + ", the manifest says " + f.sha256;
    }
  }
  return "";
}

Result<VerifyResult> CheckpointStore::Verify(const std::string& name) {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  auto text = ReadManifest(name);
  if (text.status().code() == StatusCode::kNotFound) {
    return NotFound("no checkpoint '" + name + "' in " + uri());
  }
  if (!text.ok()) return text.status();
  VerifyResult r;
  r.name = name;
  auto parsed = ParseManifest(*text, name);
  if (!parsed.ok()) {
    r.problem = parsed.status().message();
    return r;
  }
  r.manifest = std::move(parsed).value();
  r.problem = Problem(*r.manifest);
  return r;
}

Result<std::vector<VerifyResult>> CheckpointStore::VerifyAll() {
  ASSIGN_OR_RETURN(std::vector<CheckpointEntry> entries, List());
  std::vector<VerifyResult> out;
  for (CheckpointEntry& e : entries) {
    VerifyResult r;
    r.name = e.name;
    r.manifest = std::move(e.manifest);
    r.problem = r.manifest.has_value() ? Problem(*r.manifest) : e.problem;
    out.push_back(std::move(r));
  }
  return out;
}

Result<Manifest> CheckpointStore::Latest() {
  ASSIGN_OR_RETURN(std::vector<CheckpointEntry> entries, List());
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    std::string problem = it->manifest.has_value() ? Problem(*it->manifest) : it->problem;
    if (problem.empty()) return *it->manifest;
    Warn("skipping checkpoint '" + it->name + "': " + problem);
  }
  return NotFound("no valid checkpoint in " + uri());
}

Result<std::vector<std::string>> CheckpointStore::FetchChecked(const Manifest& manifest,
                                                               const std::string& local_dir) {
  if (!FetchVerifies()) {
    std::string problem = Problem(manifest);
    if (!problem.empty()) return Internal(problem);
  }
  return FetchFiles(manifest, local_dir);
}

Result<std::vector<std::string>> CheckpointStore::Fetch(const std::string& name,
                                                        const std::string& local_dir) {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  auto text = ReadManifest(name);
  if (text.status().code() == StatusCode::kNotFound)
    return NotFound("no checkpoint '" + name + "' in " + uri());
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(Manifest m, ParseManifest(*text, name));
  auto paths = FetchChecked(m, local_dir);
  if (!paths.ok()) return paths.status().WithContext("checkpoint '" + name + "'");
  return paths;
}

Result<CheckpointStore::Fetched> CheckpointStore::FetchLatest(const std::string& local_dir) {
  ASSIGN_OR_RETURN(std::vector<CheckpointEntry> entries, List());
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!it->manifest.has_value()) {
      Warn("skipping checkpoint '" + it->name + "': " + it->problem);
      continue;
    }
    auto paths = FetchChecked(*it->manifest, local_dir);
    if (paths.ok()) return Fetched{*it->manifest, std::move(paths).value()};
    if (paths.status().code() == StatusCode::kUnavailable) return paths.status();
    Warn("skipping checkpoint '" + it->name + "': " + paths.status().message());
  }
  return NotFound("no valid checkpoint in " + uri());
}

Status CheckpointStore::Delete(const std::string& name) {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  auto text = ReadManifest(name);
  if (text.status().code() == StatusCode::kNotFound)
    return NotFound("no checkpoint '" + name + "' in " + uri());
  if (!text.ok()) return text.status();
  RETURN_IF_ERROR(RemoveManifest(name));
  return RemoveData(name);
}

Result<GcResult> CheckpointStore::Gc(const RetentionPolicy& policy) {
  RETURN_IF_ERROR(ValidateRetention(policy));
  ASSIGN_OR_RETURN(std::vector<CheckpointEntry> entries, List());
  std::vector<RetentionItem> items;
  for (const CheckpointEntry& e : entries) {
    if (!e.manifest.has_value()) Warn("checkpoint '" + e.name + "' is invalid: " + e.problem);
    items.push_back({e.name, e.manifest, e.manifest_mtime});
  }
  RetentionPlan plan = PlanRetention(items, policy, [&](size_t i) {
    std::string problem = Problem(*entries[i].manifest);
    if (!problem.empty()) Warn("checkpoint '" + entries[i].name + "' is invalid: " + problem);
    return problem.empty();
  });
  GcResult result;
  result.kept = plan.keep;
  result.kept_invalid = plan.keep_invalid;
  for (const std::string& name : plan.remove) {
    Status s = RemoveManifest(name);
    if (s.ok()) s = RemoveData(name);
    if (!s.ok())
      return s.WithContext("gc deleted " + std::to_string(result.deleted.size()) + " checkpoints, then");
    result.deleted.push_back(name);
  }
  return result;
}

}  // namespace mlcost::checkpoint
