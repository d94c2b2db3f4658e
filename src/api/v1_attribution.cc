#include "api/v1_attribution.h"

#include "api/v1_common.h"

namespace mlcost::api::v1 {
namespace {

std::optional<std::string> ProjectTag(const std::vector<KeyValue>& tags) {
  const std::string* p = FindKey(tags, kTagProject);
  if (p == nullptr || p->empty()) return std::nullopt;
  return *p;
}

}  // namespace

void AttributionResolver::AddExperiment(const Experiment& experiment) {
  experiment_projects_[experiment.experiment_id] = ProjectTag(experiment.tags);
}

Result<Attribution> AttributionResolver::Resolve(const Run& run) {
  Attribution out;
  out.user = run.info.user_id.empty() ? kUnallocated : run.info.user_id;

  const std::string* team = FindKey(run.tags, kTagTeam);
  if (team != nullptr && !team->empty()) {
    out.team = *team;
  } else {
    if (!user_teams_) {
      ASSIGN_OR_RETURN(std::vector<User> users, tracking_.ListUsers());
      user_teams_.emplace();
      for (const User& u : users) {
        if (u.team && !u.team->empty()) (*user_teams_)[u.name] = *u.team;
      }
    }
    auto it = user_teams_->find(run.info.user_id);
    out.team = it != user_teams_->end() ? it->second : kUnallocated;
  }

  if (std::optional<std::string> project = ProjectTag(run.tags)) {
    out.project = *project;
    return out;
  }
  auto cached = experiment_projects_.find(run.info.experiment_id);
  if (cached == experiment_projects_.end()) {
    Result<Experiment> e = tracking_.GetExperiment(run.info.experiment_id);
    if (!e.ok() && e.status().code() != StatusCode::kNotFound) return e.status();
    cached = experiment_projects_.emplace(run.info.experiment_id, e.ok() ? ProjectTag(e->tags) : std::nullopt)
                 .first;
  }
  out.project = cached->second.value_or(kUnallocated);
  return out;
}

}  // namespace mlcost::api::v1
