#include "server/pruner_index_warmer.h"

#include <algorithm>
#include <cstdio>

#include "earlystop/pruner_service.h"
#include "tracking/read_pool.h"

namespace mlcost::server {
namespace {

// The experiments a restarted server warms: a pruner set and a run it may judge.
Result<std::vector<std::string>> ExperimentsToWarm(tracking::TrackingService& tracking) {
  ASSIGN_OR_RETURN(auto conn, tracking.reads().Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Run("SELECT DISTINCT CAST(t.experiment_id AS VARCHAR) FROM experiment_tags t "
                                        "JOIN runs r ON r.experiment_id = t.experiment_id WHERE t.key = ? AND "
                                        "t.value <> '' AND r.status = 'RUNNING' AND r.lifecycle_stage = 'active' "
                                        "ORDER BY 1",
                                        std::string(earlystop::kPrunerTag)));
  std::vector<std::string> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) out.push_back(rows.GetString(0, r));
  return out;
}

}  // namespace

PrunerIndexWarmer::PrunerIndexWarmer(api::ApiContext& ctx) : ctx_(ctx) {}

PrunerIndexWarmer::~PrunerIndexWarmer() { Stop(); }

void PrunerIndexWarmer::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) return;
  busy_ = true;  // the start-up scan
  thread_ = std::thread([this] { Loop(); });
}

void PrunerIndexWarmer::Enqueue(const std::string& experiment_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || std::find(queue_.begin(), queue_.end(), experiment_id) != queue_.end()) return;
    queue_.push_back(experiment_id);
  }
  cv_.notify_all();
}

void PrunerIndexWarmer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t PrunerIndexWarmer::warmed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return warmed_;
}

bool PrunerIndexWarmer::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.empty() && !busy_;
}

void PrunerIndexWarmer::Loop() {
  Result<std::vector<std::string>> initial = ExperimentsToWarm(ctx_.tracking);
  if (!initial.ok()) {
    std::fprintf(stderr, "mlcost: pruner index warm-up: %s\n", initial.status().ToString().c_str());
  } else {
    for (const std::string& id : *initial) Enqueue(id);
  }
  std::unique_lock<std::mutex> lock(mu_);
  busy_ = false;
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::string id = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    WarmOne(id);
    lock.lock();
    busy_ = false;
  }
}

void PrunerIndexWarmer::WarmOne(const std::string& experiment_id) {
  earlystop::PrunerService pruners(ctx_.tracking);
  Result<std::optional<earlystop::ExperimentPruner>> pruner = pruners.Get(experiment_id);
  Status status = pruner.status();
  if (status.ok()) {
    if (!pruner->has_value() || !earlystop::IndexedPrunerType((*pruner)->config.type)) return;
    status = ctx_.pruner_index->Warm(ctx_.tracking, experiment_id, (*pruner)->metric);
  }
  if (!status.ok()) {  // the next decision builds instead; nothing is lost
    std::fprintf(stderr, "mlcost: pruner index warm-up of experiment %s: %s\n", experiment_id.c_str(),
                 status.ToString().c_str());
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++warmed_;
}

}  // namespace mlcost::server
