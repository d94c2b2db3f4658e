#include "cli/checkpoint_command.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "checkpoint/durable_file.h"
#include "checkpoint/open_checkpoint_store.h"
#include "cli/exit_code.h"
#include "cli/text_table.h"
#include "common/byte_size.h"

namespace mlcost::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using checkpoint::CheckpointStore;
using checkpoint::Manifest;

struct StoreArgs {
  std::string store;
  std::string s3_endpoint;
  bool json = false;
};

struct CheckpointArgs {
  StoreArgs common;
  // save
  std::string name;
  std::optional<int64_t> step;
  std::vector<std::string> metrics;
  std::vector<std::string> files;
  // latest
  std::string fetch_to;
  // verify
  std::string verify_name;
  // gc
  int keep_last = 0;
  int keep_best = 0;
  std::string metric;
  std::string mode = "min";
};

Result<std::unique_ptr<CheckpointStore>> Open(const StoreArgs& args, const std::string& verb) {
  checkpoint::StoreOptions options;
  options.s3_endpoint = args.s3_endpoint;
  options.warn = [verb](const std::string& w) {
    std::fprintf(stderr, "mlcost checkpoint %s: warning: %s\n", verb.c_str(), w.c_str());
  };
  return checkpoint::OpenCheckpointStore(args.store, options);
}

Json ManifestJson(const Manifest& m) { return Json::parse(checkpoint::ManifestToJson(m)); }

uint64_t TotalSize(const Manifest& m) {
  uint64_t total = 0;
  for (const auto& f : m.files) total += f.size;
  return total;
}

std::string MetricsText(const Manifest& m) {
  std::string out;
  for (const auto& [k, v] : m.metrics) {
    if (!out.empty()) out += " ";
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    out += k + "=" + buf;
  }
  return out;
}

// Each FILE argument: a regular file (stored under its base name) or a directory (its regular
// files, stored under DIRNAME/relative path).
Result<std::vector<checkpoint::SaveFile>> ExpandFiles(const std::vector<std::string>& args) {
  std::vector<checkpoint::SaveFile> out;
  for (const std::string& arg : args) {
    fs::path p(arg);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      fs::path base = p.lexically_normal();
      if (base.filename().empty()) base = base.parent_path();
      std::string prefix = base.filename().string();
      if (prefix.empty() || prefix == "." || prefix == "..") prefix = "files";
      std::vector<checkpoint::SaveFile> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        found.push_back({it->path().string(), prefix + "/" + fs::relative(it->path(), p).generic_string()});
      }
      if (ec) return InvalidArgument("cannot list '" + arg + "': " + ec.message());
      if (found.empty()) return InvalidArgument("directory '" + arg + "' holds no files");
      std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back({arg, p.filename().string()});
    }
  }
  return out;
}

Result<std::map<std::string, double>> ParseMetrics(const std::vector<std::string>& args) {
  std::map<std::string, double> out;
  for (const std::string& a : args) {
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      return InvalidArgument("--metric '" + a + "': expected NAME=NUMBER");
    std::string value = a.substr(eq + 1);
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !std::isfinite(v)) {
      return InvalidArgument("--metric '" + a + "': '" + value + "' is not a finite number");
    }
    out[a.substr(0, eq)] = v;
  }
  return out;
}

int RunSave(const CheckpointArgs& a) {
  // A file size limit (ulimit -f) must fail the write cleanly (EFBIG), not kill the process.
  std::signal(SIGXFSZ, SIG_IGN);
  auto metrics = ParseMetrics(a.metrics);
  if (!metrics.ok()) return ReportError("checkpoint save", metrics.status());
  auto files = ExpandFiles(a.files);
  if (!files.ok()) return ReportError("checkpoint save", files.status());
  auto store = Open(a.common, "save");
  if (!store.ok()) return ReportError("checkpoint save", store.status());
  auto m = (*store)->Save(a.name, *files, a.step, *metrics);
  if (!m.ok()) {
    ReportError("checkpoint save", m.status());
    return m.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (a.common.json) {
    std::printf("%s\n", ManifestJson(*m).dump(2).c_str());
  } else {
    std::printf("saved checkpoint '%s' to %s (%zu file%s, %s)\n", m->name.c_str(), (*store)->uri().c_str(),
                m->files.size(), m->files.size() == 1 ? "" : "s", FormatByteSize(TotalSize(*m)).c_str());
  }
  return kExitOk;
}

int RunList(const CheckpointArgs& a) {
  auto store = Open(a.common, "list");
  if (!store.ok()) return ReportError("checkpoint list", store.status());
  auto entries = (*store)->List();
  if (!entries.ok()) return ReportError("checkpoint list", entries.status());
  if (a.common.json) {
    Json out = Json::array();
    for (const auto& e : *entries) {
      Json item = {{"name", e.name}};
      item["manifest"] = e.manifest.has_value() ? ManifestJson(*e.manifest) : Json(nullptr);
      if (!e.problem.empty()) item["problem"] = e.problem;
      out.push_back(item);
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  TextTable t({"name", "created_at", "step", "files", "size", "metrics"});
  for (const auto& e : *entries) {
    if (!e.manifest.has_value()) {
      t.AddRow({e.name, "-", "-", "-", "-", "INVALID: " + e.problem});
      continue;
    }
    const Manifest& m = *e.manifest;
    t.AddRow({m.name, m.created_at, m.step.has_value() ? std::to_string(*m.step) : "-",
              std::to_string(m.files.size()), FormatByteSize(TotalSize(m)), MetricsText(m)});
  }
  std::fputs(t.Render().c_str(), stdout);
  if (t.rows() == 0)
    std::fprintf(stderr, "mlcost checkpoint list: no checkpoints in %s\n", (*store)->uri().c_str());
  return kExitOk;
}

// Copies the local store's files into `dir` (latest --fetch-to on a local store).
Result<std::vector<std::string>> CopyInto(const std::vector<std::string>& paths, const Manifest& m,
                                          const std::string& dir) {
  std::vector<std::string> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    fs::path dest = fs::path(dir) / m.files[i].path;
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return Internal("cannot create '" + dest.parent_path().string() + "': " + ec.message());
    ASSIGN_OR_RETURN(FileDigest d, checkpoint::CopyFileDurably(paths[i], dest.string()));
    if (d.sha256 != m.files[i].sha256) {
      return Internal("checkpoint '" + m.name + "' file '" + m.files[i].path + "' changed while copying");
    }
    out.push_back(dest.string());
  }
  return out;
}

int RunLatest(const CheckpointArgs& a) {
  auto store = Open(a.common, "latest");
  if (!store.ok()) return ReportError("checkpoint latest", store.status());
  bool s3 = a.common.store.rfind("s3://", 0) == 0;
  Manifest m;
  std::vector<std::string> paths;
  if (s3 && a.fetch_to.empty()) {
    auto latest = (*store)->Latest();
    if (!latest.ok()) return ReportError("checkpoint latest", latest.status());
    m = *latest;
    for (const auto& f : m.files) paths.push_back((*store)->uri() + "/" + m.name + "/data/" + f.path);
  } else {
    auto fetched = (*store)->FetchLatest(a.fetch_to.empty() ? "." : a.fetch_to);
    if (!fetched.ok()) return ReportError("checkpoint latest", fetched.status());
    m = fetched->manifest;
    paths = fetched->paths;
    if (!s3 && !a.fetch_to.empty()) {
      auto copied = CopyInto(paths, m, a.fetch_to);
      if (!copied.ok()) return ReportError("checkpoint latest", copied.status());
      paths = *copied;
    }
  }
  if (a.common.json) {
    Json out = {{"name", m.name}, {"paths", paths}, {"manifest", ManifestJson(m)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s\n", m.name.c_str());
    for (const auto& p : paths) std::printf("%s\n", p.c_str());
  }
  return kExitOk;
}

int RunVerify(const CheckpointArgs& a) {
  auto store = Open(a.common, "verify");
  if (!store.ok()) return ReportError("checkpoint verify", store.status());
  std::vector<checkpoint::VerifyResult> results;
  if (!a.verify_name.empty()) {
    auto r = (*store)->Verify(a.verify_name);
    if (!r.ok()) return ReportError("checkpoint verify", r.status());
    results.push_back(*r);
  } else {
    auto all = (*store)->VerifyAll();
    if (!all.ok()) return ReportError("checkpoint verify", all.status());
    results = *all;
  }
  int bad = 0;
  Json out = Json::array();
  for (const auto& r : results) {
    if (!r.valid()) {
      ++bad;
      std::fprintf(stderr, "mlcost checkpoint verify: checkpoint '%s' is invalid: %s\n", r.name.c_str(),
                   r.problem.c_str());
    }
    Json item = {{"name", r.name}, {"valid", r.valid()}};
    if (!r.valid()) item["problem"] = r.problem;
    out.push_back(item);
    if (!a.common.json) std::printf("%-7s %s\n", r.valid() ? "ok" : "INVALID", r.name.c_str());
  }
  if (a.common.json) std::printf("%s\n", out.dump(2).c_str());
  if (!a.common.json && results.empty()) {
    std::fprintf(stderr, "mlcost checkpoint verify: no checkpoints in %s\n", (*store)->uri().c_str());
  }
  return bad == 0 ? kExitOk : kExitFailure;
}

int RunGc(const CheckpointArgs& a) {
  checkpoint::RetentionPolicy policy;
  policy.keep_last = a.keep_last;
  policy.keep_best = a.keep_best;
  policy.metric = a.metric;
  policy.maximize = a.mode == "max";
  if (Status s = checkpoint::ValidateRetention(policy); !s.ok()) return ReportError("checkpoint gc", s);
  auto store = Open(a.common, "gc");
  if (!store.ok()) return ReportError("checkpoint gc", store.status());
  auto result = (*store)->Gc(policy);
  if (!result.ok()) return ReportError("checkpoint gc", result.status());
  if (a.common.json) {
    Json out = {{"kept", result->kept}, {"deleted", result->deleted}, {"kept_invalid", result->kept_invalid}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    for (const auto& n : result->deleted) std::printf("deleted  %s\n", n.c_str());
    for (const auto& n : result->kept) std::printf("kept     %s\n", n.c_str());
    for (const auto& n : result->kept_invalid)
      std::printf("kept     %s (invalid, newer than the newest valid)\n", n.c_str());
  }
  return kExitOk;
}

void AddStoreOptions(CLI::App& sub, StoreArgs& args) {
  sub.add_option("--store", args.store, "Store URI: a directory, file:///dir or s3://BUCKET/PREFIX")
      ->required();
  sub.add_option("--s3-endpoint", args.s3_endpoint,
                 "S3 endpoint URL (default: $MLCOST_S3_ENDPOINT_URL, $AWS_ENDPOINT_URL, else AWS)");
  sub.add_flag("--json", args.json, "Print JSON");
}

}  // namespace

void AddCheckpointCommand(CLI::App& app, CommandAction& action) {
  auto a = std::make_shared<CheckpointArgs>();
  CLI::App* cmd = app.add_subcommand(
      "checkpoint",
      "Save, list, verify and garbage-collect checkpoints in a store (a directory or s3://...)");
  cmd->require_subcommand(1);

  CLI::App* save = cmd->add_subcommand("save", "Save files as one checkpoint (data first, manifest last)");
  AddStoreOptions(*save, a->common);
  save->add_option("--name", a->name, "Checkpoint name: 1-200 of A-Z a-z 0-9 . _ -, not starting with '.'")
      ->required();
  save->add_option("--step", a->step, "Training step (integer)");
  save->add_option("--metric", a->metrics, "NAME=NUMBER, repeatable (e.g. --metric val_loss=0.25)");
  save->add_option("files", a->files, "Files (stored under their base name) or directories")->required();
  save->callback([a, &action] { action = [a] { return RunSave(*a); }; });

  CLI::App* list = cmd->add_subcommand("list", "List checkpoints, oldest first (manifests only; see verify)");
  AddStoreOptions(*list, a->common);
  list->callback([a, &action] { action = [a] { return RunList(*a); }; });

  CLI::App* latest = cmd->add_subcommand(
      "latest", "Print the newest valid checkpoint's name and file paths (invalid newer ones are skipped)");
  AddStoreOptions(*latest, a->common);
  latest->add_option(
      "--fetch-to", a->fetch_to,
      "Copy (local store) or download (S3) the files into this directory and print those paths");
  latest->callback([a, &action] { action = [a] { return RunLatest(*a); }; });

  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "Check manifests, sizes and sha256 of one or all checkpoints; exit 1 naming each invalid one");
  AddStoreOptions(*verify, a->common);
  verify->add_option("name", a->verify_name, "Checkpoint to verify (default: all)");
  verify->callback([a, &action] { action = [a] { return RunVerify(*a); }; });

  CLI::App* gc = cmd->add_subcommand(
      "gc", "Delete checkpoints outside the retention policy (manifest first, then data)");
  AddStoreOptions(*gc, a->common);
  gc->add_option("--keep-last", a->keep_last, "Keep the newest N valid checkpoints (N >= 1)")->required();
  gc->add_option("--keep-best", a->keep_best, "Also keep the best K valid checkpoints by --metric");
  gc->add_option("--metric", a->metric, "Metric ranking --keep-best");
  gc->add_option("--mode", a->mode, "min: lower is better (default); max: higher is better")
      ->check(CLI::IsMember({"min", "max"}));
  gc->callback([a, &action] { action = [a] { return RunGc(*a); }; });
}

}  // namespace mlcost::cli
