// /api/v1/teams, /api/v1/users, /api/v1/projects: the organisation runs are attributed to.
// POST creates (RESOURCE_ALREADY_EXISTS when the name is taken), PUT creates or replaces,
// DELETE of a team that users or projects still name is refused (409) so no attribution dangles.
#include <algorithm>

#include "api/json_handler.h"
#include "api/v1_common.h"
#include "api/v1_handlers.h"
#include "api/v1_json.h"

namespace mlcost::api::v1 {
namespace {

using tracking::TrackingService;

// Each resource: how to list, upsert, delete and render one record type.
template <typename T>
struct OrgKind {
  const char* singular;  // "team"
  const char* plural;    // "teams"
  Result<std::vector<T>> (TrackingService::*list)();
  Status (TrackingService::*upsert)(const T&);
  Status (TrackingService::*remove)(const std::string&);
  Json (*render)(const T&);
  // Reads the fields of a body other than name into a record.
  Result<T> (*parse)(Args args, const std::string& name);
};

Result<std::optional<std::string>> OptionalTeam(Args args) {
  ASSIGN_OR_RETURN(auto team, args.OptionalString("team"));
  if (team && team->empty()) team.reset();
  return team;
}

Result<Team> ParseTeam(Args args, const std::string& name) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"name", "description"}));
  Team t{name, "", 0};
  ASSIGN_OR_RETURN(t.description, args.StringOr("description", ""));
  return t;
}

Result<User> ParseUser(Args args, const std::string& name) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"name", "team", "email"}));
  User u{name, std::nullopt, "", 0};
  ASSIGN_OR_RETURN(u.team, OptionalTeam(args));
  ASSIGN_OR_RETURN(u.email, args.StringOr("email", ""));
  return u;
}

Result<Project> ParseProject(Args args, const std::string& name) {
  RETURN_IF_ERROR(CheckKnownFields(args, {"name", "team", "description"}));
  Project p{name, std::nullopt, "", 0};
  ASSIGN_OR_RETURN(p.team, OptionalTeam(args));
  ASSIGN_OR_RETURN(p.description, args.StringOr("description", ""));
  return p;
}

template <typename T>
Result<std::optional<T>> Find(TrackingService& t, const OrgKind<T>& kind, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<T> all, (t.*kind.list)());
  for (T& item : all) {
    if (item.name == name) return std::optional<T>(std::move(item));
  }
  return std::optional<T>();
}

template <typename T>
JsonResult Get(TrackingService& t, const OrgKind<T>& kind, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<T> found, Find(t, kind, name));
  if (!found) return NotFound(std::string(kind.singular) + " '" + name + "' does not exist");
  return kind.render(*found);
}

template <typename T>
JsonResult List(TrackingService& t, const OrgKind<T>& kind, Args args) {
  ASSIGN_OR_RETURN(Page page, ParsePage(args));
  ASSIGN_OR_RETURN(std::vector<T> all, (t.*kind.list)());
  ASSIGN_OR_RETURN(auto slice, Paginate(std::move(all), page));
  Json items = Json::array();
  for (const T& item : slice.first) items.push_back(kind.render(item));
  return Json{{kind.plural, std::move(items)}, {"next_page_token", slice.second}};
}

template <typename T>
JsonResult Create(TrackingService& t, const OrgKind<T>& kind, Args args) {
  ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  ASSIGN_OR_RETURN(T record, kind.parse(args, name));
  ASSIGN_OR_RETURN(std::optional<T> existing, Find(t, kind, name));
  if (existing) return AlreadyExists(std::string(kind.singular) + " '" + name + "' already exists");
  RETURN_IF_ERROR((t.*kind.upsert)(record));
  return Get(t, kind, name);
}

template <typename T>
JsonResult Put(TrackingService& t, const OrgKind<T>& kind, const std::string& name, Args args) {
  ASSIGN_OR_RETURN(auto body_name, args.OptionalString("name"));
  if (body_name && *body_name != name) {
    return InvalidArgument("field 'name' (\"" + *body_name + "\") differs from the name in the path (\"" +
                           name + "\"); renaming is not supported");
  }
  ASSIGN_OR_RETURN(T record, kind.parse(args, name));
  RETURN_IF_ERROR((t.*kind.upsert)(record));
  return Get(t, kind, name);
}

// Conflict when users or projects still belong to team `name`.
Status CheckTeamUnused(TrackingService& t, const std::string& name) {
  std::vector<std::string> holders;
  ASSIGN_OR_RETURN(std::vector<User> users, t.ListUsers());
  for (const User& u : users) {
    if (u.team == name) holders.push_back("user '" + u.name + "'");
  }
  ASSIGN_OR_RETURN(std::vector<Project> projects, t.ListProjects());
  for (const Project& p : projects) {
    if (p.team == name) holders.push_back("project '" + p.name + "'");
  }
  if (holders.empty()) return Status::Ok();
  std::string list;
  for (size_t i = 0; i < holders.size() && i < 10; ++i) list += (i ? ", " : "") + holders[i];
  if (holders.size() > 10) list += ", ...";
  return Conflict("team '" + name + "' is still used by " + list + "; move them to another team first");
}

template <typename T>
void Register(Router& router, TrackingService& t, const OrgKind<T>& kind) {
  const std::string base = std::string("/api/v1/") + kind.plural;
  AddRoute(router, "GET", base,
           JsonHandler([&t, kind](const ApiRequest&, Args args) { return List(t, kind, args); }));
  AddRoute(router, "POST", base,
           JsonHandler([&t, kind](const ApiRequest&, Args args) { return Create(t, kind, args); }, 201));
  const std::string item = base + "/{name*}";
  AddRoute(router, "GET", item,
           JsonHandler([&t, kind](const ApiRequest& r, Args) { return Get(t, kind, r.captures[0]); }));
  AddRoute(router, "PUT", item, JsonHandler([&t, kind](const ApiRequest& r, Args args) {
             return Put(t, kind, r.captures[0], args);
           }));
  AddRoute(router, "DELETE", item, JsonHandler([&t, kind](const ApiRequest& r, Args) -> JsonResult {
             if (std::string_view(kind.singular) == "team") {
               ASSIGN_OR_RETURN(std::optional<T> found, Find(t, kind, r.captures[0]));
               if (found) RETURN_IF_ERROR(CheckTeamUnused(t, r.captures[0]));
             }
             RETURN_IF_ERROR((t.*kind.remove)(r.captures[0]));
             return Json::object();
           }));
}

}  // namespace

void RegisterOrgRoutes(Router& router, ApiContext& ctx) {
  TrackingService& t = ctx.tracking;
  Register(router, t,
           OrgKind<Team>{"team", "teams", &TrackingService::ListTeams, &TrackingService::UpsertTeam,
                         &TrackingService::DeleteTeam, &TeamJson, &ParseTeam});
  Register(router, t,
           OrgKind<User>{"user", "users", &TrackingService::ListUsers, &TrackingService::UpsertUser,
                         &TrackingService::DeleteUser, &UserJson, &ParseUser});
  Register(
      router, t,
      OrgKind<Project>{"project", "projects", &TrackingService::ListProjects, &TrackingService::UpsertProject,
                       &TrackingService::DeleteProject, &ProjectJson, &ParseProject});
}

}  // namespace mlcost::api::v1
