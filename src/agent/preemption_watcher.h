// PreemptionWatcher: polls the cloud's instance metadata service for a spot / preemptible
// termination notice, on its own thread; the supervisor asks Notice() in its wait loop.
//
//   aws    IMDSv2: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds), then
//          GET /latest/meta-data/spot/instance-action with X-aws-ec2-metadata-token: 404 = no
//          notice, 200 {"action":"terminate","time":"..."} = notice (about 2 minutes ahead).
//   gcp    GET /computeMetadata/v1/instance/preempted with Metadata-Flavor: Google: "TRUE" =
//          preempted (about 30 s ahead), "FALSE" = not.
//   azure  GET /metadata/scheduledevents?api-version=2020-07-01 with Metadata: true: an event
//          with EventType "Preempt" = notice (at least 30 s ahead).
//   auto   probes the three, in that order, once at start (each with the request timeout) and
//          watches the first that answers; none answering = not on a cloud VM, nothing watched.
// Every request has a short timeout, so a metadata server that hangs costs one poll interval,
// never the job; failures are counted, not fatal.
#ifndef MLCOST_AGENT_PREEMPTION_WATCHER_H_
#define MLCOST_AGENT_PREEMPTION_WATCHER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "mlcost/status.h"

namespace mlcost::agent {

enum class CloudProvider { kNone, kAuto, kAws, kGcp, kAzure };

// "none", "auto", "aws", "gcp", "azure" -> the provider; InvalidArgument naming the text otherwise.
Result<CloudProvider> ParseCloudProvider(const std::string& text);
const char* CloudProviderName(CloudProvider provider);

struct PreemptionOptions {
  CloudProvider provider = CloudProvider::kAuto;
  std::string metadata_url = "http://169.254.169.254";  // base URL of the metadata service
  int64_t poll_interval_ms = 5000;
  int64_t request_timeout_ms = 1000;
};

struct PreemptionNotice {
  CloudProvider provider = CloudProvider::kNone;
  std::string detail;  // what the cloud said, e.g. "terminate at 2026-12-01T16:20:00Z"
};

// One look at the metadata service of `provider` (not kAuto / kNone): a notice, nullopt when
// there is none, or Unavailable when the service did not answer as that provider's would.
Result<std::optional<PreemptionNotice>> CheckForPreemption(CloudProvider provider, const std::string& metadata_url,
                                                           int64_t timeout_ms);

class PreemptionWatcher {
 public:
  // Starts the polling thread (nothing for kNone). Polling ends at the first notice.
  explicit PreemptionWatcher(PreemptionOptions options);
  // Stop().
  ~PreemptionWatcher();
  PreemptionWatcher(const PreemptionWatcher&) = delete;
  PreemptionWatcher& operator=(const PreemptionWatcher&) = delete;

  // The notice, once one has arrived. Thread-safe.
  std::optional<PreemptionNotice> Notice() const;

  // Stops polling. Never waits for a request in flight: a thread still inside one is left to
  // finish on its own (it holds its own state, not this object).
  void Stop();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_PREEMPTION_WATCHER_H_
