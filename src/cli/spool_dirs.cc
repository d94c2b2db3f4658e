#include "cli/spool_dirs.h"

#include <algorithm>
#include <filesystem>
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
