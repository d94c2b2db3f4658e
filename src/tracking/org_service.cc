// TrackingService's organisation records: teams, users and projects that runs are attributed to.
#include "tracking/read_pool.h"
#include "tracking/tracking_service.h"
#include "tracking/write_batcher.h"

namespace mlcost::tracking {
namespace {

Status ValidateOrgName(const char* what, const std::string& name) {
  if (name.empty() || name.size() > 250) {
    return InvalidArgument(std::string(what) + " name must be 1 to 250 characters, got " +
                           std::to_string(name.size()));
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      return InvalidArgument(std::string(what) + " name must not contain control characters");
  }
  return Status::Ok();
}

Status CheckTeamExists(store::Connection& conn, const std::optional<std::string>& team) {
  if (!team) return Status::Ok();
  ASSIGN_OR_RETURN(auto rows, conn.Run("SELECT 1 FROM teams WHERE name = ?", *team));
  if (rows.RowCount() == 0) return NotFound("team '" + *team + "' does not exist");
  return Status::Ok();
}

Status DeleteByName(store::Connection& conn, const char* table, const char* what, const std::string& name) {
  ASSIGN_OR_RETURN(auto result, conn.Run(std::string("DELETE FROM ") + table + " WHERE name = ?", name));
  if (result.RowsChanged() == 0) return NotFound(std::string(what) + " '" + name + "' does not exist");
  return Status::Ok();
}

}  // namespace

Status TrackingService::UpsertTeam(const Team& team) {
  RETURN_IF_ERROR(ValidateOrgName("team", team.name));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    return ctx.conn().Exec(
        "INSERT INTO teams VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "description = excluded.description",
        team.name, team.description, store::Timestamp{now});
  });
}

Status TrackingService::UpsertUser(const User& user) {
  RETURN_IF_ERROR(ValidateOrgName("user", user.name));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    RETURN_IF_ERROR(CheckTeamExists(ctx.conn(), user.team));
    return ctx.conn().Exec(
        "INSERT INTO users VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "team = excluded.team, email = excluded.email",
        user.name, user.team, user.email, store::Timestamp{now});
  });
}

Status TrackingService::UpsertProject(const Project& project) {
  RETURN_IF_ERROR(ValidateOrgName("project", project.name));
  const Micros now = clock_.Now();
  return writer_->Submit([&](WriteContext& ctx) -> Status {
    RETURN_IF_ERROR(CheckTeamExists(ctx.conn(), project.team));
    return ctx.conn().Exec(
        "INSERT INTO projects VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "team = excluded.team, description = excluded.description",
        project.name, project.team, project.description, store::Timestamp{now});
  });
}

Result<std::vector<Team>> TrackingService::ListTeams() {
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT name, description, epoch_ms(creation_time) FROM teams ORDER BY name"));
  std::vector<Team> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    out.push_back({rows.GetString(0, r), rows.GetString(1, r), rows.GetInt64(2, r)});
  }
  return out;
}

Result<std::vector<User>> TrackingService::ListUsers() {
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT name, team, email, epoch_ms(creation_time) FROM users ORDER BY name"));
  std::vector<User> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    out.push_back(
        {rows.GetString(0, r), rows.GetOptionalString(1, r), rows.GetString(2, r), rows.GetInt64(3, r)});
  }
  return out;
}

Result<std::vector<Project>> TrackingService::ListProjects() {
  ASSIGN_OR_RETURN(auto conn, reads_->Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      conn->Query("SELECT name, team, description, epoch_ms(creation_time) FROM projects ORDER BY name"));
  std::vector<Project> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) {
    out.push_back(
        {rows.GetString(0, r), rows.GetOptionalString(1, r), rows.GetString(2, r), rows.GetInt64(3, r)});
  }
  return out;
}

Status TrackingService::DeleteTeam(const std::string& name) {
  return writer_->Submit([&](WriteContext& ctx) { return DeleteByName(ctx.conn(), "teams", "team", name); });
}
Status TrackingService::DeleteUser(const std::string& name) {
  return writer_->Submit([&](WriteContext& ctx) { return DeleteByName(ctx.conn(), "users", "user", name); });
}
Status TrackingService::DeleteProject(const std::string& name) {
  return writer_->Submit(
      [&](WriteContext& ctx) { return DeleteByName(ctx.conn(), "projects", "project", name); });
}

}  // namespace mlcost::tracking
