#include "cli/prune_watcher.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cli/api_client.h"

namespace mlcost::cli {
namespace {

constexpr int kConnectTimeoutS = 2;
constexpr int kReadTimeoutS = 5;

}  // namespace

struct PruneWatcher::Shared {
  mutable std::mutex mu;
  std::condition_variable wake;
  bool stop = false;
  std::optional<StopDecision> decision;
};

PruneWatcher::PruneWatcher(std::string server_url, std::string run_id, int64_t interval_ms)
    : shared_(std::make_shared<Shared>()) {
  if (interval_ms <= 0) return;
  std::thread([shared = shared_, url = std::move(server_url), run_id = std::move(run_id), interval_ms] {
    ApiClient client(url, kConnectTimeoutS);
    client.SetReadTimeout(kReadTimeoutS);
    const std::string path = "/api/v1/runs/" + run_id + "/should-stop";
    while (true) {
      {
        std::unique_lock<std::mutex> lock(shared->mu);
        shared->wake.wait_for(lock, std::chrono::milliseconds(interval_ms), [&] { return shared->stop; });
        if (shared->stop) return;
      }
      Result<nlohmann::json> answer = client.Get(path);
      if (!answer.ok()) {
        if (IsMissingEndpoint(answer.status())) return;  // an older server: nothing to watch
        continue;                                         // unreachable or busy: ask again later
      }
      const nlohmann::json& a = *answer;
      if (!a.is_object() || !a.contains("stop") || !a["stop"].is_boolean() || !a["stop"].get<bool>()) continue;
      StopDecision d;
      if (a.contains("reason") && a["reason"].is_string()) d.reason = a["reason"].get<std::string>();
      if (a.contains("pruner") && a["pruner"].is_string()) d.pruner = a["pruner"].get<std::string>();
      d.finish = a.contains("finish") && a["finish"].is_boolean() && a["finish"].get<bool>();
      std::lock_guard<std::mutex> lock(shared->mu);
      shared->decision = std::move(d);
      return;
    }
  }).detach();
}

PruneWatcher::~PruneWatcher() { Stop(); }

std::optional<StopDecision> PruneWatcher::Decision() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->decision;
}

void PruneWatcher::Stop() {
  std::lock_guard<std::mutex> lock(shared_->mu);
  shared_->stop = true;
  shared_->wake.notify_all();
}

}  // namespace mlcost::cli
