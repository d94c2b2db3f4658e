#include "cli/checkpoint_committer.h"

#include <cstdio>
#include <filesystem>

#include "checkpoint/manifest.h"

namespace mlcost::cli {
namespace {

constexpr int kMaxNameSuffix = 10000;

}  // namespace

CheckpointCommitter::CheckpointCommitter(checkpoint::CheckpointStore& store, std::string local_dir)
    : store_(store), watcher_(std::move(local_dir)), thread_([this] { Loop(); }) {}

CheckpointCommitter::~CheckpointCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    wake_.notify_all();
  }
  thread_.join();
}

void CheckpointCommitter::Scan() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& file : failed_) watcher_.Forget(file);
    failed_.clear();
  }
  std::vector<std::string> ready = watcher_.Scan();
  if (ready.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (std::string& file : ready) queue_.push_back(std::move(file));
  wake_.notify_one();
}

void CheckpointCommitter::Settle() {
  std::vector<std::string> ready = watcher_.Scan(/*settle_now=*/true);
  std::unique_lock<std::mutex> lock(mu_);
  for (std::string& file : ready) queue_.push_back(std::move(file));
  wake_.notify_one();
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

int64_t CheckpointCommitter::committed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_;
}

void CheckpointCommitter::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    std::string file = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Commit(file);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void CheckpointCommitter::Commit(const std::string& relative) {
  namespace fs = std::filesystem;
  fs::path local = fs::path(watcher_.dir()) / relative;
  std::string file_name = local.filename().string();
  std::string base = checkpoint::SanitizeCheckpointName(relative);
  std::optional<int64_t> step = checkpoint::StepFromFileName(file_name);
  checkpoint::SaveFile file{local.string(), file_name};
  // A rewritten file name gets "-2", "-3", ...: probing starts after the last one used.
  int& next = next_suffix_[base];
  if (next < 1) next = 1;
  for (int tries = 0; tries < kMaxNameSuffix; ++tries, ++next) {
    std::string name = next == 1 ? base : base + "-" + std::to_string(next);
    Result<checkpoint::Manifest> saved = store_.Save(name, std::vector<checkpoint::SaveFile>{file}, step, {});
    if (saved.ok()) {
      ++next;
      std::fprintf(stderr, "mlcost run: checkpoint %s committed to %s\n", name.c_str(), store_.uri().c_str());
      std::lock_guard<std::mutex> lock(mu_);
      ++committed_;
      return;
    }
    if (saved.status().code() == StatusCode::kAlreadyExists) continue;
    std::fprintf(stderr, "mlcost run: warning: could not commit checkpoint %s (will retry): %s\n", local.c_str(),
                 saved.status().message().c_str());
    std::lock_guard<std::mutex> lock(mu_);
    failed_.push_back(relative);
    return;
  }
}

}  // namespace mlcost::cli
