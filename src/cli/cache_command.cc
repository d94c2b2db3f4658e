#include "cli/cache_command.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "common/byte_size.h"
#include "common/time_util.h"
#include "stagecache/access_log.h"
#include "stagecache/blob_store.h"
#include "stagecache/cache_gc.h"
#include "stagecache/entry_index.h"
#include "stagecache/remote_cache.h"
#include "stagecache/stage_cache.h"

namespace mlcost::cli {
namespace {

using Json = nlohmann::json;
namespace sc = stagecache;

struct CacheArgs {
  std::string cache_dir;
  bool json = false;
  // run
  std::vector<std::string> deps, params, outs, env, command;
  std::string key;
  bool link = false;
  int threads = 0;
  std::string remote;
  std::string s3_endpoint;
  // gc
  std::string max_size, max_age;
  // push / pull / verify / ls
  std::vector<std::string> keys;
  bool remove_invalid = false;
};

void Say(const std::string& verb, const std::string& text) {
  std::fprintf(stderr, "mlcost cache %s: %s\n", verb.c_str(), text.c_str());
}

Result<std::string> CacheDir(const CacheArgs& a) { return sc::CacheLayout::ResolveDir(a.cache_dir); }

std::string RemoteUri(const CacheArgs& a) {
  if (!a.remote.empty()) return a.remote;
  const char* env = std::getenv("MLCOST_CACHE_REMOTE");
  return env == nullptr ? "" : env;
}

int RunRun(const CacheArgs& a) {
  std::signal(SIGXFSZ, SIG_IGN);  // a file size limit fails the store cleanly (EFBIG)
  auto dir = CacheDir(a);
  if (!dir.ok()) return ReportError("cache run", dir.status());
  sc::RunRequest req;
  req.argv = a.command;
  req.deps = a.deps;
  req.outs = a.outs;
  req.user_key = a.key;
  req.env_names = a.env;
  req.restore = a.link ? sc::RestoreMode::kHardlink : sc::RestoreMode::kCopy;
  req.hash_threads = a.threads;
  req.stdout_to_stderr = a.json;
  for (const std::string& p : a.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ReportError("cache run", InvalidArgument("--param '" + p + "': expected KEY=VALUE"));
    }
    req.params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  sc::StageCache cache(*dir, SystemClock::Get(), [](const std::string& w) { Say("run", "warning: " + w); });
  std::unique_ptr<sc::RemoteCache> remote;
  if (std::string uri = RemoteUri(a); !uri.empty()) {
    auto r = sc::RemoteCache::Open(uri, a.s3_endpoint, cache.layout());
    if (!r.ok()) return ReportError("cache run", r.status());
    remote = std::move(*r);
    req.pull = [&remote](const std::string& key) {
      sc::TransferReport report;
      Status s = remote->PullOne(key, &report);
      if (!s.ok() && s.code() != StatusCode::kNotFound) Say("run", "warning: pull from the remote failed: " + s.message());
      return s.ok();
    };
    req.push = [&remote](const std::string& key) {
      sc::TransferReport report;
      if (Status s = remote->PushOne(key, &report); !s.ok()) {
        Say("run", "warning: push to the remote failed: " + s.message());
      }
    };
  }
  auto out = cache.Run(req);
  if (!out.ok()) return ReportError("cache run", out.status());
  if (a.json) {
    Json j = {{"key", out->key},       {"status", out->status},
              {"hit", out->status == "hit"},
              {"exit_code", out->exit_code},
              {"bytes", out->bytes},   {"seconds", out->seconds},
              {"seconds_saved", out->seconds_saved},
              {"decide_seconds", out->decide_seconds},
              {"bytes_hashed", out->bytes_hashed},
              {"reason", out->why},    {"warnings", out->warnings}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::string k = out->key.substr(0, 12);
    if (out->status == "hit") {
      Say("run", "hit " + k + ": outputs restored (" + FormatByteSize(out->bytes) + "), command not run; saved " +
                     std::to_string(static_cast<int64_t>(out->seconds_saved * 1000)) + " ms");
    } else if (out->status == "miss") {
      Say("run", "miss " + k + ": ran the command, stored " + FormatByteSize(out->bytes));
    } else {
      Say("run", out->status + " " + k + ": " + out->why);
    }
  }
  return out->exit_code;
}

int RunGc(const CacheArgs& a) {
  auto dir = CacheDir(a);
  if (!dir.ok()) return ReportError("cache gc", dir.status());
  sc::GcOptions options;
  if (!a.max_size.empty()) {
    auto s = ParseByteSize(a.max_size);  // 2GB = 2e9 bytes, 2G = 2 GiB (as everywhere)
    if (!s.ok()) return ReportError("cache gc", Status(StatusCode::kInvalidArgument, "--max-size " + s.status().message()));
    options.max_size = *s;
  }
  if (!a.max_age.empty()) {
    auto s = ParseDuration(a.max_age);  // 30d, 12h, 2w, 1.5h
    if (!s.ok()) return ReportError("cache gc", Status(StatusCode::kInvalidArgument, "--max-age " + s.status().message()));
    options.max_age = *s;
  }
  sc::CacheLayout layout(*dir);
  auto report = sc::CacheGc(layout, SystemClock::Get()).Run(options);
  if (!report.ok()) return ReportError("cache gc", report.status());
  if (a.json) {
    Json j = {{"evicted", report->evicted},           {"invalid_removed", report->invalid},
              {"bytes_before", report->bytes_before}, {"bytes_after", report->bytes_after},
              {"blobs_removed", report->blobs_removed}, {"entries_kept", report->entries_kept},
              {"temp_files_removed", report->temp_files_removed}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    for (const auto& k : report->evicted) std::printf("evicted %s\n", k.c_str());
    for (const auto& k : report->invalid) std::printf("removed invalid %s\n", k.c_str());
    std::printf("%llu entries kept, %s -> %s\n", static_cast<unsigned long long>(report->entries_kept),
                FormatByteSize(report->bytes_before).c_str(), FormatByteSize(report->bytes_after).c_str());
  }
  return kExitOk;
}

int RunTransfer(const CacheArgs& a, bool push) {
  const char* verb = push ? "cache push" : "cache pull";
  auto dir = CacheDir(a);
  if (!dir.ok()) return ReportError(verb, dir.status());
  std::string uri = RemoteUri(a);
  if (uri.empty()) return ReportError(verb, InvalidArgument("--remote s3://BUCKET/PREFIX is required (or MLCOST_CACHE_REMOTE)"));
  sc::CacheLayout layout(*dir);
  if (Status s = layout.CheckVersion(); !s.ok()) return ReportError(verb, s);
  auto remote = sc::RemoteCache::Open(uri, a.s3_endpoint, layout);
  if (!remote.ok()) return ReportError(verb, remote.status());
  auto report = push ? (*remote)->Push(a.keys) : (*remote)->Pull(a.keys);
  if (!report.ok()) return ReportError(verb, report.status());
  if (a.json) {
    Json j = {{"entries", report->entries}, {"skipped", report->skipped}, {"failed", report->failed},
              {"blobs", report->blobs},     {"bytes", report->bytes}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    for (const auto& k : report->entries) std::printf("%s %s\n", push ? "pushed" : "pulled", k.c_str());
    for (const auto& k : report->skipped) std::printf("present %s\n", k.c_str());
    for (const auto& f : report->failed) Say(push ? "push" : "pull", "failed: " + f);
  }
  return report->failed.empty() ? kExitOk : kExitFailure;
}

int RunLs(const CacheArgs& a) {
  auto dir = CacheDir(a);
  if (!dir.ok()) return ReportError("cache ls", dir.status());
  sc::CacheLayout layout(*dir);
  if (Status s = layout.CheckVersion(); !s.ok()) return ReportError("cache ls", s);
  sc::EntryIndex index(layout);
  auto keys = index.ListKeys();
  if (!keys.ok()) return ReportError("cache ls", keys.status());
  auto last = sc::AccessLog(layout).LastAccess();
  if (!last.ok()) return ReportError("cache ls", last.status());
  Json rows = Json::array();
  for (const std::string& key : *keys) {
    auto e = index.Load(key);
    if (!e.ok()) {
      rows.push_back({{"key", key}, {"valid", false}, {"error", e.status().message()}});
      continue;
    }
    Micros used = e->created_at;
    if (auto it = last->find(key); it != last->end()) used = std::max(used, it->second);
    rows.push_back({{"key", key},
                    {"valid", true},
                    {"label", e->label},
                    {"created_at", FormatIso8601(e->created_at)},
                    {"last_used", FormatIso8601(used)},
                    {"bytes", e->TotalBytes()},
                    {"files", e->outputs.size()},
                    {"run_seconds", e->run_seconds}});
  }
  if (a.json) {
    std::printf("%s\n", Json{{"entries", rows}}.dump().c_str());
    return kExitOk;
  }
  for (const Json& r : rows) {
    if (!r["valid"].get<bool>()) {
      std::printf("%s  INVALID  %s\n", r["key"].get<std::string>().substr(0, 12).c_str(),
                  r["error"].get<std::string>().c_str());
      continue;
    }
    std::printf("%s  %10s  %4zu files  %8.1fs  %s  %s\n", r["key"].get<std::string>().substr(0, 12).c_str(),
                FormatByteSize(r["bytes"].get<uint64_t>()).c_str(), r["files"].get<size_t>(), r["run_seconds"].get<double>(),
                r["last_used"].get<std::string>().c_str(), r["label"].get<std::string>().c_str());
  }
  return kExitOk;
}

int RunVerify(const CacheArgs& a) {
  auto dir = CacheDir(a);
  if (!dir.ok()) return ReportError("cache verify", dir.status());
  sc::CacheLayout layout(*dir);
  if (Status s = layout.CheckVersion(); !s.ok()) return ReportError("cache verify", s);
  sc::EntryIndex index(layout);
  sc::BlobStore blobs(layout);
  std::vector<std::string> keys = a.keys;
  if (keys.empty()) {
    auto all = index.ListKeys();
    if (!all.ok()) return ReportError("cache verify", all.status());
    keys = *all;
  }
  Json ok = Json::array(), bad = Json::array();
  for (const std::string& key : keys) {
    std::string why;
    auto e = index.Load(key);
    if (!e.ok()) {
      why = e.status().message();
    } else {
      for (const auto& o : e->outputs) {
        if (Status s = blobs.Verify(o.sha256); !s.ok()) {
          why = "output '" + o.path + "': " + s.message();
          break;
        }
      }
    }
    if (why.empty()) {
      ok.push_back(key);
      if (!a.json) std::printf("ok %s\n", key.c_str());
      continue;
    }
    bad.push_back({{"key", key}, {"error", why}});
    if (!a.json) std::printf("INVALID %s\n", key.c_str());
    Say("verify", "entry " + key + " is invalid: " + why + (a.remove_invalid ? " (removed)" : ""));
    if (a.remove_invalid) {
      if (Status s = index.Remove(key); !s.ok()) return ReportError("cache verify", s);
    }
  }
  if (a.json) std::printf("%s\n", Json{{"ok", ok}, {"invalid", bad}}.dump().c_str());
  return bad.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void AddCacheCommand(CLI::App& app, CommandAction& action) {
  auto a = std::make_shared<CacheArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cache", "The stage cache: skip a pipeline stage whose inputs did not change (no server needed)");
  cmd->require_subcommand(1);
  auto common = [a](CLI::App* sub) {
    sub->add_option("--cache-dir", a->cache_dir, "Cache directory (default $MLCOST_CACHE_DIR, else ~/.cache/mlcost)");
    sub->add_flag("--json", a->json, "Print JSON on stdout");
  };
  auto remote_opts = [a](CLI::App* sub) {
    sub->add_option("--remote", a->remote, "Shared cache s3://BUCKET/PREFIX (default $MLCOST_CACHE_REMOTE)");
    sub->add_option("--s3-endpoint", a->s3_endpoint,
                    "S3 endpoint URL (default $MLCOST_S3_ENDPOINT_URL, $AWS_ENDPOINT_URL, AWS)");
  };

  CLI::App* run = cmd->add_subcommand("run", "Restore the stage's outputs from the cache, or run it and store them");
  common(run);
  remote_opts(run);
  run->add_option("--dep", a->deps, "A file or folder the stage reads (repeatable; must exist)")
      ->allow_extra_args(false);
  run->add_option("--param", a->params, "KEY=VALUE that changes the result (repeatable)")
      ->allow_extra_args(false);
  // One value per repeatable flag, so `--out o -- CMD` leaves CMD alone.
  run->add_option("--out", a->outs, "A file or folder the stage writes, relative (repeatable; at least one)")
      ->required()
      ->allow_extra_args(false);
  run->add_option("--key", a->key, "Explicit key instead of the computed one (you own invalidation)");
  run->add_option("--env", a->env, "Environment variable whose value is part of the key (repeatable)")
      ->allow_extra_args(false);
  run->add_flag("--link", a->link, "Restore outputs as hard links to the cache (read-only; default: copies)");
  run->add_option("--threads", a->threads, "Threads hashing dependencies (default: cores, at most 8)")
      ->check(CLI::Range(1, 256));
  run->add_option("command", a->command, "The command and its arguments (after `--`)")->required();
  run->callback([a, &action] { action = [a] { return RunRun(*a); }; });

  CLI::App* gc = cmd->add_subcommand("gc", "Evict least-recently-used entries by total size and by age");
  common(gc);
  gc->add_option("--max-size", a->max_size, "Keep at most this many bytes of outputs (e.g. 20G, 500M)");
  gc->add_option("--max-age", a->max_age, "Evict entries unused for longer (e.g. 30d, 12h)");
  gc->callback([a, &action] { action = [a] { return RunGc(*a); }; });

  CLI::App* push = cmd->add_subcommand("push", "Upload entries to the shared cache (blobs first, entry last)");
  common(push);
  remote_opts(push);
  push->add_option("keys", a->keys, "Entry keys (default: all)");
  push->callback([a, &action] { action = [a] { return RunTransfer(*a, true); }; });

  CLI::App* pull = cmd->add_subcommand("pull", "Download entries from the shared cache, verifying every blob");
  common(pull);
  remote_opts(pull);
  pull->add_option("keys", a->keys, "Entry keys (default: all)");
  pull->callback([a, &action] { action = [a] { return RunTransfer(*a, false); }; });

  CLI::App* ls = cmd->add_subcommand("ls", "List entries: key, size, files, run time, last use, label");
  common(ls);
  ls->callback([a, &action] { action = [a] { return RunLs(*a); }; });

  CLI::App* verify = cmd->add_subcommand("verify", "Re-hash every output of every entry (exit 1 if one is invalid)");
  common(verify);
  verify->add_option("keys", a->keys, "Entry keys (default: all)");
  verify->add_flag("--remove", a->remove_invalid, "Remove the invalid entries");
  verify->callback([a, &action] { action = [a] { return RunVerify(*a); }; });
}

}  // namespace mlcost::cli
