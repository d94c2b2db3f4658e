#include "cli/spool_dirs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "agent/event_spool.h"
#include "cli/run_events.h"

namespace mlcost::cli {

std::vector<std::string> PendingSpoolDirs(const std::string& state_dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code error;
  for (fs::directory_iterator it(fs::path(state_dir) / "runs", error), end; !error && it != end;
       it.increment(error)) {
    fs::path spool = it->path() / "spool";
    if (fs::exists(spool / "events.jsonl", error)) out.push_back(spool.string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

constexpr char kTargetFile[] = "target";

std::string Normalized(TargetOptions target) {
  if (!target.data_dir.empty()) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(target.data_dir, error);
    return "data-dir " + (error ? target.data_dir : absolute.lexically_normal().string());
  }
  while (!target.server.empty() && target.server.back() == '/') target.server.pop_back();
  return "url " + target.server;
}

}  // namespace

Status WriteSpoolTarget(const std::string& spool_dir, const TargetOptions& target) {
  std::string path = spool_dir + "/" + kTargetFile;
  std::ofstream out(path, std::ios::trunc);
  out << Normalized(target) << "\n";
  out.close();
  if (!out) return Internal("cannot write " + path);
  return Status::Ok();
}

std::optional<TargetOptions> ReadSpoolTarget(const std::string& spool_dir) {
  std::ifstream in(spool_dir + "/" + kTargetFile);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  TargetOptions target;
  if (line.rfind("url ", 0) == 0) {
    target.server = line.substr(4);
  } else if (line.rfind("data-dir ", 0) == 0) {
    target.data_dir = line.substr(9);
  } else {
    return std::nullopt;
  }
  return target;
}

bool SameTarget(const TargetOptions& a, const TargetOptions& b) { return Normalized(a) == Normalized(b); }

Result<FlushReport> FlushSpool(ApiClient& client, const std::string& dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<agent::EventSpool> spool, agent::EventSpool::Open(dir));
  FlushReport report;
  constexpr size_t kBatch = 256;
  while (true) {
    std::vector<agent::SpoolEvent> events = spool->Pending(kBatch);
    if (events.empty()) break;
    for (const agent::SpoolEvent& event : events) {
      agent::DeliveryResult result = DeliverEvent(client, event);
      if (result.outcome == agent::DeliveryOutcome::kRetry) {
        report.left = static_cast<int64_t>(spool->PendingCount());
        report.last_error = result.message;
        return report;
      }
      if (result.outcome == agent::DeliveryOutcome::kRejected) {
        ++report.rejected;
        report.last_error = result.message;
      } else {
        ++report.delivered;
      }
      RETURN_IF_ERROR(spool->MarkDelivered(event.seq));
    }
  }
  return report;
}

}  // namespace mlcost::cli
