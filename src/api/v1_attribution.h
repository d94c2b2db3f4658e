// Who a run's cost belongs to (docs/api.md, "Attribution"):
//   user    = the run's user, else "unallocated";
//   team    = run tag mlcost.team, else the team of the run's user (/api/v1/users), else "unallocated";
//   project = run tag mlcost.project, else experiment tag mlcost.project, else "unallocated".
// What cannot be attributed is shown as "unallocated", never dropped.
#ifndef MLCOST_API_V1_ATTRIBUTION_H_
#define MLCOST_API_V1_ATTRIBUTION_H_

#include <map>
#include <optional>
#include <string>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "tracking/tracking_service.h"

namespace mlcost::api::v1 {

inline constexpr char kTagTeam[] = "mlcost.team";
inline constexpr char kTagProject[] = "mlcost.project";
inline constexpr char kUnallocated[] = "unallocated";

struct Attribution {
  std::string user;
  std::string team;
  std::string project;
};

// Resolves attribution for many runs with one read of the users and one read per experiment.
// Holds a snapshot: create one per request. Not thread-safe.
class AttributionResolver {
 public:
  // `tracking` must outlive the resolver.
  explicit AttributionResolver(tracking::TrackingService& tracking) : tracking_(tracking) {}

  // Remembers an experiment already loaded, so Resolve() does not read it again.
  void AddExperiment(const Experiment& experiment);

  // The attribution of `run`. Errors only when the users or the run's experiment cannot be read
  // (Internal); a run whose experiment has vanished resolves its project from its own tags.
  Result<Attribution> Resolve(const Run& run);

 private:
  tracking::TrackingService& tracking_;
  std::optional<std::map<std::string, std::string>> user_teams_;           // user -> team
  std::map<std::string, std::optional<std::string>> experiment_projects_;  // id -> mlcost.project
};

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_ATTRIBUTION_H_
