// mlcost-checkpoint-bench: save and load throughput of one checkpoint file through the checkpoint
// store, next to the plain tools doing the same transfer in the same invocation: `cp` (and
// `cp` + `sync FILE`, since the store fsyncs) and `sha256sum` for a local directory, `aws s3 cp`
// against the same s3rver for S3. See docs/performance.md, "Checkpoint store".
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>

#include "checkpoint/local_checkpoint_store.h"
#include "checkpoint/s3_checkpoint_store.h"
#include "common/sha256.h"
#include "s3/s3_client.h"
#include "s3/s3rver_process.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using mlcost::Status;
using mlcost::checkpoint::LocalCheckpointStore;
using mlcost::checkpoint::S3CheckpointStore;

struct Options {
  int64_t size_mib = 256;
  int repeat = 3;
  std::string work_dir = (fs::temp_directory_path() / "mlcost-checkpoint-bench").string();
  std::string s3rver = mlcost::s3::S3rverProcess::FindBinary(MLCOST_SOURCE_DIR);
  std::string aws = "aws";
  bool skip_s3 = false;
  bool keep = false;
};

struct Row {
  std::string operation;
  std::string tool;
  double seconds = 0;           // median
  double baseline_seconds = 0;  // 0 for a baseline row
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "mlcost-checkpoint-bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

// Runs argv with extra environment variables; dies unless it exits 0. stdout goes to /dev/null.
void Run(const std::vector<std::string>& argv, const std::vector<std::string>& env_extra = {}) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) env_storage.emplace_back(*e);
  for (const auto& e : env_extra) env_storage.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) Die("cannot start " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    Die("command failed: " + cmd);
  }
}

// Median wall time of `repeat` runs of `body(i)`; `reset(i)` runs before each, untimed.
double Median(int repeat, const std::function<void(int)>& body,
              const std::function<void(int)>& reset = nullptr) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    if (reset) reset(i);
    auto start = std::chrono::steady_clock::now();
    body(i);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void MakeFile(const std::string& path, int64_t bytes) {
  std::ofstream out(path, std::ios::binary);
  std::mt19937_64 rng(42);
  std::vector<uint64_t> block(1 << 17);  // 1 MiB
  for (int64_t written = 0; written < bytes; written += 1 << 20) {
    for (auto& w : block) w = rng();
    out.write(reinterpret_cast<const char*>(block.data()), std::min<int64_t>(1 << 20, bytes - written));
  }
  if (!out) Die("cannot write " + path);
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Checkpoint store save/load throughput next to cp, sha256sum and aws s3 cp",
               "mlcost-checkpoint-bench"};
  app.add_option("--size-mib", o.size_mib, "Size of the checkpoint file")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat", o.repeat, "Runs per measurement (the median is shown)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--work-dir", o.work_dir, "Scratch directory (removed afterwards unless --keep)")
      ->capture_default_str();
  app.add_option("--s3rver", o.s3rver, "s3rver executable")->capture_default_str();
  app.add_option("--aws", o.aws, "aws CLI executable")->capture_default_str();
  app.add_flag("--skip-s3", o.skip_s3, "Local store only");
  app.add_flag("--keep", o.keep, "Keep the work directory");
  CLI11_PARSE(app, argc, argv);

  std::error_code ec;
  fs::remove_all(o.work_dir, ec);
  fs::create_directories(o.work_dir + "/src");
  const int64_t bytes = o.size_mib << 20;
  const std::string src = o.work_dir + "/src/model.bin";
  MakeFile(src, bytes);
  auto digest = mlcost::Sha256File(src);  // also puts the file in the page cache
  Check(digest.status(), "hash source");
  std::vector<Row> rows;
  mlcost::checkpoint::StoreOptions quiet;
  quiet.warn = [](const std::string& w) { Die("unexpected warning: " + w); };

  // Local directory.
  {
    const std::string root = o.work_dir + "/local-store";
    const std::string cp_dir = o.work_dir + "/cp";
    fs::create_directories(cp_dir);
    LocalCheckpointStore store(root, quiet);
    double cp = Median(
        o.repeat,
        [&](int i) {
          Run({"cp", src, cp_dir + "/c" + std::to_string(i)});
        },
        [&](int) {
          fs::remove_all(cp_dir);
          fs::create_directories(cp_dir);
        });
    double cp_sync = Median(
        o.repeat,
        [&](int i) {
          std::string dst = cp_dir + "/s" + std::to_string(i);
          Run({"cp", src, dst});
          Run({"sync", dst});
        },
        [&](int) {
          fs::remove_all(cp_dir);
          fs::create_directories(cp_dir);
        });
    double save = Median(
        o.repeat,
        [&](int i) {
          auto m = store.Save("ckpt-" + std::to_string(i), {src});
          Check(m.status(), "local save");
          if (m->files[0].sha256 != digest->sha256) Die("local save: wrong sha256 in the manifest");
        },
        [&](int) { fs::remove_all(root); });
    rows.push_back({"local save", "cp (baseline, no fsync)", cp, 0});
    rows.push_back({"local save", "cp + sync FILE (baseline)", cp_sync, 0});
    rows.push_back({"local save", "mlcost LocalCheckpointStore::Save (sha256 + fsync)", save, cp_sync});
    double sha = Median(o.repeat, [&](int) { Run({"sha256sum", src}); });
    double latest = Median(o.repeat, [&](int) {
      auto m = store.Latest();
      Check(m.status(), "local latest");
    });
    rows.push_back({"local load", "sha256sum (baseline)", sha, 0});
    rows.push_back({"local load", "mlcost Latest() (verifies sha256, in place)", latest, sha});
  }

  // S3 (s3rver).
  if (!o.skip_s3) {
    if (o.s3rver.empty()) Die("s3rver not found (run ./setup.sh or pass --s3rver)");
    auto server = mlcost::s3::S3rverProcess::Start(o.s3rver, o.work_dir + "/s3rver");
    Check(server.status(), "start s3rver");
    mlcost::s3::S3Config config;
    config.endpoint = (*server)->endpoint();
    config.access_key = "S3RVER";
    config.secret_key = "S3RVER";
    Check(mlcost::s3::S3Client(config).CreateBucket("bench"), "create bucket");
    S3CheckpointStore store(std::make_unique<mlcost::s3::S3Client>(config), "bench", "mlcost", quiet);
    const std::vector<std::string> aws_env = {"AWS_ACCESS_KEY_ID=S3RVER", "AWS_SECRET_ACCESS_KEY=S3RVER",
                                              "AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null",
                                              "AWS_SHARED_CREDENTIALS_FILE=/dev/null"};
    double aws_put = Median(o.repeat, [&](int i) {
      Run({o.aws, "--endpoint-url", config.endpoint, "s3", "cp", "--only-show-errors", src,
           "s3://bench/aws/model-" + std::to_string(i) + ".bin"},
          aws_env);
    });
    double save = Median(o.repeat, [&](int i) {
      auto m = store.Save("ckpt-" + std::to_string(i), {src});
      Check(m.status(), "s3 save");
    });
    rows.push_back({"S3 save", "aws s3 cp (baseline)", aws_put, 0});
    rows.push_back({"S3 save", "mlcost S3CheckpointStore::Save (sha256 + PUT/multipart)", save, aws_put});
    const std::string out = o.work_dir + "/fetched";
    double aws_get = Median(
        o.repeat,
        [&](int i) {
          Run({o.aws, "--endpoint-url", config.endpoint, "s3", "cp", "--only-show-errors",
               "s3://bench/aws/model-" + std::to_string(i) + ".bin",
               out + "/aws-" + std::to_string(i) + ".bin"},
              aws_env);
        },
        [&](int) {
          fs::remove_all(out);
          fs::create_directories(out);
        });
    double fetch = Median(
        o.repeat,
        [&](int) {
          auto f = store.FetchLatest(out);
          Check(f.status(), "s3 fetch");
        },
        [&](int) {
          fs::remove_all(out);
          fs::create_directories(out);
        });
    auto back = mlcost::Sha256File(out + "/model.bin");
    Check(back.status(), "hash fetched file");
    if (back->sha256 != digest->sha256) Die("fetched file differs from the source");
    rows.push_back({"S3 load", "aws s3 cp (baseline)", aws_get, 0});
    rows.push_back({"S3 load", "mlcost FetchLatest (download + sha256 check)", fetch, aws_get});
  }

  std::printf("checkpoint store: one %lld MiB file, median of %d runs\n\n",
              static_cast<long long>(o.size_mib), o.repeat);
  std::printf("| operation | tool | MiB/s | mlcost / baseline |\n|---|---|---:|---:|\n");
  for (const Row& r : rows) {
    double mibs = static_cast<double>(o.size_mib) / r.seconds;
    std::string ratio = r.baseline_seconds > 0 ? Fixed(r.baseline_seconds / r.seconds, 2) + "x" : "";
    std::printf("| %s | %s | %s | %s |\n", r.operation.c_str(), r.tool.c_str(), Fixed(mibs, 0).c_str(),
                ratio.c_str());
  }
  std::printf(
      "\n(ratio = baseline time / mlcost time: above 1 means mlcost is faster)\ncheck: sha256 of every "
      "stored and fetched copy matches the source: ok\n");
  if (!o.keep) fs::remove_all(o.work_dir, ec);
  return 0;
}
