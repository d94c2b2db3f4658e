// Handler tests without a socket (fixture: api_test_fixture.h). Prices come from the AWS sample
// catalog: c3.2xlarge us-east-1 on-demand 0.42/h; m7g.xlarge us-east-1 spot 0.0894/h.
#include <algorithm>
#include <regex>
#include <set>
#include <tuple>

#include "api/api_test_fixture.h"
#include "api/openapi.h"
#include "store/migrations.h"

namespace mlcost::api {
namespace {

const json kC3 = {{"instance_type", "c3.2xlarge"}, {"provider", "aws"}, {"region", "us-east-1"}};

TEST_F(ApiTest, HealthzReportsVersionAndSchema) {
  json h = Get("/healthz");
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["version"], "0.1.0");
  EXPECT_EQ(h["schema_version"], store::SchemaMigrations().back().version);
}

// Every registered /api/v1 route (and /healthz) is in the OpenAPI document, and every documented
// operation is registered; every $ref resolves.
TEST_F(ApiTest, OpenApiDocumentMatchesRoutes) {
  auto normalise = [](std::string path) {
    path = std::regex_replace(path, std::regex(R"(\(\[\^/\]\+\)|\(\.\+\))"), "{}");
    return std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "{}");
  };
  std::set<std::string> routes, documented;
  for (const std::string& route : router_.Describe()) {
    size_t space = route.find(' ');
    std::string method = route.substr(0, space), path = route.substr(space + 1);
    if (path.rfind("/api/v1/", 0) != 0 && path != "/healthz") continue;
    routes.insert(method + " " + normalise(path));
  }
  json doc = Get("/api/v1/openapi.json");
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      documented.insert(upper + " " + normalise(path));
      EXPECT_TRUE(op.contains("responses")) << path;
      // Each {param} of the path is declared as a path parameter.
      std::smatch m;
      for (std::string rest = path; std::regex_search(rest, m, std::regex(R"(\{([a-z_]+)\})"));
           rest = m.suffix()) {
        bool declared = std::any_of(op["parameters"].begin(), op["parameters"].end(), [&](const json& p) {
          return p.value("in", "") == "path" && p.value("name", "") == m[1].str();
        });
        EXPECT_TRUE(declared) << method << " " << path << " lacks path parameter " << m[1];
      }
    }
  }
  EXPECT_EQ(routes, documented);
  EXPECT_GE(routes.size(), 30u);
  std::string text = doc.dump();
  std::regex ref(R"#("\$ref":"#/components/([a-z]+)/([A-Za-z]+)")#");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ref); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(doc["components"][(*it)[1].str()].contains((*it)[2].str())) << (*it)[0];
  }
}

TEST_F(ApiTest, ExperimentsCreateGetListPatchDeleteRestore) {
  json e = Expect(201, "POST", "/api/v1/experiments", {{"name", "vision"}, {"tags", {{"owner", "ann"}}}});
  const std::string id = e["id"];
  EXPECT_EQ(e["name"], "vision");
  EXPECT_EQ(e["lifecycle_stage"], "active");
  EXPECT_EQ(e["creation_time"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(e["tags"]["owner"], "ann");
  EXPECT_EQ(Get("/api/v1/experiments/" + id)["name"], "vision");
  ExpectError(400, "RESOURCE_ALREADY_EXISTS", "POST", "/api/v1/experiments", R"({"name":"vision"})");

  Expect(201, "POST", "/api/v1/experiments", {{"name", "nlp"}});
  json page = Get("/api/v1/experiments", {{"max_results", "2"}, {"order_by", "name ASC"}});
  ASSERT_EQ(page["experiments"].size(), 2u);
  EXPECT_EQ(page["experiments"][0]["name"], "Default");
  ASSERT_NE(page["next_page_token"], "");
  json rest = Get("/api/v1/experiments",
                  {{"max_results", "2"}, {"order_by", "name ASC"}, {"page_token", page["next_page_token"]}});
  ASSERT_EQ(rest["experiments"].size(), 1u);
  EXPECT_EQ(rest["experiments"][0]["name"], "vision");
  EXPECT_EQ(rest["next_page_token"], "");

  json patched = Expect(200, "PATCH", "/api/v1/experiments/" + id,
                        {{"name", "vision-2"}, {"tags", {{"mlcost.project", "detector"}}}});
  EXPECT_EQ(patched["name"], "vision-2");
  EXPECT_EQ(patched["tags"]["mlcost.project"], "detector");
  EXPECT_EQ(patched["tags"]["owner"], "ann");

  Expect(200, "DELETE", "/api/v1/experiments/" + id);
  EXPECT_EQ(Get("/api/v1/experiments")["experiments"].size(), 2u);
  json deleted = Get("/api/v1/experiments", {{"view", "deleted"}});
  ASSERT_EQ(deleted["experiments"].size(), 1u);
  EXPECT_EQ(deleted["experiments"][0]["lifecycle_stage"], "deleted");
  EXPECT_EQ(Expect(200, "POST", "/api/v1/experiments/" + id + "/restore")["lifecycle_stage"], "active");

  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/experiments/999");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/experiments/abc");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "DELETE", "/api/v1/experiments/0");
}

TEST_F(ApiTest, RunsCreateGetListPatchDeleteRestore) {
  std::string exp = Expect(201, "POST", "/api/v1/experiments", {{"name", "e"}})["id"];
  json body = kC3;
  body.update({{"experiment_id", exp},
               {"name", "r1"},
               {"user", "alice"},
               {"gpu_count", 0},
               {"tags", {{"k", "v"}}},
               {"pricing", "on-demand"}});
  json run = Expect(201, "POST", "/api/v1/runs", body);
  const std::string id = run["id"];
  EXPECT_EQ(run["name"], "r1");
  EXPECT_EQ(run["experiment_id"], exp);
  EXPECT_EQ(run["user"], "alice");
  EXPECT_EQ(run["status"], "RUNNING");
  EXPECT_EQ(run["start_time"], "2026-01-01T00:00:00Z");
  EXPECT_TRUE(run["end_time"].is_null());
  EXPECT_EQ(run["tags"]["k"], "v");
  EXPECT_EQ(run["tags"]["mlcost.instance_type"], "c3.2xlarge");
  EXPECT_EQ(run["resources"], json({{"instance_type", "c3.2xlarge"},
                                    {"provider", "aws"},
                                    {"region", "us-east-1"},
                                    {"pricing", "on-demand"},
                                    {"gpu_count", 0},
                                    {"accelerator", nullptr}}));
  EXPECT_EQ(run["attribution"],
            json({{"user", "alice"}, {"team", "unallocated"}, {"project", "unallocated"}}));
  ASSERT_EQ(run["attempts"].size(), 1u);
  EXPECT_EQ(run["attempts"][0]["attempt"], 1);
  EXPECT_TRUE(run["attempts"][0]["end_cause"].is_null());

  // The MLflow route sees the same run, with the resource fields as tags.
  json mlflow = Get("/api/2.0/mlflow/runs/get", {{"run_id", id}});
  EXPECT_NE(mlflow["run"]["data"]["tags"].dump().find("mlcost.region"), std::string::npos);

  std::string other = NewRun({{"experiment_id", 0}});
  EXPECT_EQ(Get("/api/v1/runs", {{"experiment_id", exp}})["runs"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/runs")["runs"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/runs", {{"experiment_id", exp}, {"experiment_id", "0"}})["runs"].size(), 2u);
  json first = Get("/api/v1/runs", {{"max_results", "1"}});
  EXPECT_EQ(first["runs"].size(), 1u);
  EXPECT_NE(first["next_page_token"], "");

  json patched = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"name", "renamed"}, {"region", nullptr}});
  EXPECT_EQ(patched["name"], "renamed");
  EXPECT_TRUE(patched["resources"]["region"].is_null());
  EXPECT_FALSE(patched["tags"].contains("mlcost.region"));

  Expect(200, "DELETE", "/api/v1/runs/" + other);
  EXPECT_EQ(Get("/api/v1/runs")["runs"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/runs", {{"view", "all"}})["runs"].size(), 2u);
  EXPECT_EQ(Expect(200, "POST", "/api/v1/runs/" + other + "/restore")["lifecycle_stage"], "active");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/runs/doesnotexist");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "POST", "/api/v1/runs", R"({"experiment_id":"42"})");
}

TEST_F(ApiTest, LiveCostAdvancesWithTheClockThenStaysFinal) {
  std::string id = NewRun(kC3);
  json cost = Get("/api/v1/runs/" + id)["cost"];
  EXPECT_EQ(cost["hourly_price"], "0.42");
  EXPECT_EQ(cost["currency"], "USD");
  EXPECT_EQ(cost["cost_so_far"], "0");
  EXPECT_EQ(cost["final"], false);
  EXPECT_NE(cost["price_source"].get<std::string>().find("us-east-1"), std::string::npos);

  Advance(1800);
  json run = Get("/api/v1/runs/" + id);
  EXPECT_EQ(run["cost"]["billable_seconds"], 1800);
  EXPECT_EQ(run["cost"]["cost_so_far"], "0.21");
  EXPECT_EQ(run["cost"]["as_of"], "2026-01-01T00:30:00Z");
  EXPECT_EQ(run["cost_reason"], "");

  Advance(1);
  EXPECT_EQ(Get("/api/v1/runs/" + id)["cost"]["cost_so_far"], "0.210116666667");  // 0.42 * 1801 / 3600

  json finished = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "FINISHED"}});
  EXPECT_EQ(finished["status"], "FINISHED");
  EXPECT_EQ(finished["end_time"], "2026-01-01T00:30:01Z");
  EXPECT_EQ(finished["cost"]["final"], true);
  EXPECT_EQ(finished["attempts"][0]["end_cause"], "finished");
  Advance(7200);
  json later = Get("/api/v1/runs/" + id)["cost"];
  EXPECT_EQ(later["cost_so_far"], "0.210116666667");
  EXPECT_EQ(later["billable_seconds"], 1801);
  EXPECT_EQ(later["final"], true);
}

// Setting RUNNING on a finished run (how MLflow clients resume one) starts attempt 2; the time
// between the attempts is not billed.
TEST_F(ApiTest, ResumedRunIsNotBilledForTheGap) {
  std::string id = NewRun(kC3);
  Advance(1800);
  Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "FINISHED"}});
  Advance(3600);
  json resumed = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "RUNNING"}});
  ASSERT_EQ(resumed["attempts"].size(), 2u);
  EXPECT_EQ(resumed["attempts"][1]["start_time"], "2026-01-01T01:30:00Z");
  EXPECT_EQ(resumed["cost"]["final"], false);
  Advance(1800);
  EXPECT_EQ(Get("/api/v1/runs/" + id)["cost"]["cost_so_far"], "0.42");
  json done = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "KILLED"}});
  EXPECT_EQ(done["end_time"], "2026-01-01T02:00:00Z");
  EXPECT_EQ(done["attempts"][1]["end_cause"], "killed");
  Advance(600);
  EXPECT_EQ(Get("/api/v1/runs/" + id)["cost"]["billable_seconds"], 3600);
}

// An agent records why each attempt ended; each attempt shows its own duration and cost.
TEST_F(ApiTest, AttemptsCarryTheirCauseDurationAndCost) {
  std::string id = NewRun(kC3);  // 0.42 per hour
  Advance(900);
  json first = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "FAILED"}, {"end_cause", "oom_killed"}});
  EXPECT_EQ(first["attempts"][0]["end_cause"], "oom_killed");
  EXPECT_EQ(first["attempts"][0]["duration_seconds"], 900);
  EXPECT_EQ(first["attempts"][0]["cost"], "0.105");
  Advance(120);
  // Delivered late: the new attempt began 60 s ago, not now.
  json second = Expect(200, "PATCH", "/api/v1/runs/" + id,
                       {{"status", "RUNNING"}, {"attempt_start_time", "2026-01-01T00:16:00Z"}});
  EXPECT_EQ(second["attempts"][1]["start_time"], "2026-01-01T00:16:00Z");
  Advance(1740);
  json running = Get("/api/v1/runs/" + id);
  EXPECT_EQ(running["attempts"][1]["duration_seconds"], 1800);
  EXPECT_EQ(running["attempts"][1]["cost"], "0.21");
  EXPECT_TRUE(running["attempts"][1]["end_cause"].is_null());
  json done = Expect(200, "PATCH", "/api/v1/runs/" + id, {{"status", "KILLED"}, {"end_cause", "preempted"}});
  EXPECT_EQ(done["attempts"][1]["end_cause"], "preempted");
  EXPECT_EQ(done["cost"]["cost_so_far"], "0.315");

  json bad = Expect(400, "PATCH", "/api/v1/runs/" + id, {{"status", "FAILED"}, {"end_cause", "tired"}});
  EXPECT_NE(bad["message"].get<std::string>().find("Invalid end_cause 'tired'"), std::string::npos);
  json alone = Expect(400, "PATCH", "/api/v1/runs/" + id, {{"end_cause", "failed"}});
  EXPECT_NE(alone["message"].get<std::string>().find("needs a terminal status"), std::string::npos);
  // The run is untouched by the refused requests.
  EXPECT_EQ(Get("/api/v1/runs/" + id)["attempts"][1]["end_cause"], "preempted");
}

TEST_F(ApiTest, SpotPricing) {
  std::string id = NewRun({{"instance_type", "m7g.xlarge"}, {"region", "us-east-1"}, {"pricing", "spot"}});
  Advance(3600);
  json cost = Get("/api/v1/runs/" + id)["cost"];
  EXPECT_EQ(cost["hourly_price"], "0.0894");
  EXPECT_EQ(cost["pricing"], "spot");
  EXPECT_EQ(cost["cost_so_far"], "0.0894");
}

TEST_F(ApiTest, UnknownPriceGivesNullCostAndReason) {
  json run =
      Expect(201, "POST", "/api/v1/runs", {{"instance_type", "x9.superhuge"}, {"region", "us-east-1"}});
  EXPECT_TRUE(run["cost"].is_null());
  EXPECT_NE(run["cost_reason"].get<std::string>().find("x9.superhuge"), std::string::npos)
      << run["cost_reason"];
  json bare = Expect(201, "POST", "/api/v1/runs", json::object());
  EXPECT_TRUE(bare["cost"].is_null());
  EXPECT_NE(bare["cost_reason"].get<std::string>().find("mlcost.instance_type"), std::string::npos);
}

// An MLflow client that sets the mlcost.* tags gets the same cost as an /api/v1 client.
TEST_F(ApiTest, MlflowTagsAndV1FieldsAgree) {
  json created = Expect(200, "POST", "/api/2.0/mlflow/runs/create", {{"experiment_id", "0"}});
  std::string id = created["run"]["info"]["run_id"];
  const json tags = {{"mlcost.instance_type", "c3.2xlarge"}, {"mlcost.region", "us-east-1"}};
  for (const auto& [k, v] : tags.items()) {
    Expect(200, "POST", "/api/2.0/mlflow/runs/set-tag", {{"run_id", id}, {"key", k}, {"value", v}});
  }
  Advance(3600);
  EXPECT_EQ(Get("/api/v1/runs/" + id)["cost"]["cost_so_far"], "0.42");
  Expect(200, "PATCH", "/api/v1/runs/" + id, {{"instance_type", "m7g.xlarge"}});
  EXPECT_EQ(Get("/api/v1/runs/" + id)["cost"]["hourly_price"], "0.1632");
}

TEST_F(ApiTest, ResourceFieldsAreValidated) {
  auto bad = [&](const json& body, const std::string& field) {
    std::string message = ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/runs", body.dump());
    EXPECT_NE(message.find("'" + field + "'"), std::string::npos) << message;
  };
  bad({{"pricing", "reserved"}}, "pricing");
  bad({{"gpu_count", -1}}, "gpu_count");
  bad({{"gpu_count", 1.5}}, "gpu_count");
  bad({{"gpu_count", "two"}}, "gpu_count");
  bad({{"instance_type", 7}}, "instance_type");
  bad({{"region", ""}}, "region");
  bad({{"instance", "p4d.24xlarge"}}, "instance");
  bad({{"start_time", "yesterday"}}, "start_time");
  bad({{"tags", {{"k", 1}}}}, "tags.k");
  std::string id = NewRun(kC3);
  std::string message = ExpectError(400, "INVALID_PARAMETER_VALUE", "PATCH", "/api/v1/runs/" + id,
                                    R"({"status":"FINISHED","pricing":"cheap"})");
  EXPECT_NE(message.find("'pricing'"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/runs/" + id)["status"], "RUNNING");  // nothing of a refused PATCH is written
  ExpectError(400, "INVALID_PARAMETER_VALUE", "PATCH", "/api/v1/runs/" + id, R"({"status":"DONE"})");
  EXPECT_EQ(Expect(201, "POST", "/api/v1/runs", {{"gpu_count", "8"}})["resources"]["gpu_count"], 8);
}

TEST_F(ApiTest, MetricsParamsAndTags) {
  std::string id = NewRun(json::object());
  Expect(200, "POST", "/api/v1/runs/" + id + "/metrics",
         {{"metrics",
           {{{"key", "loss"}, {"value", 0.5}, {"step", 1}},
            {{"key", "loss"}, {"value", "NaN"}, {"step", 2}, {"timestamp", 1767225600123}},
            {{"key", "train/acc"}, {"value", 0.9}}}}});
  json history = Get("/api/v1/runs/" + id + "/metrics/loss");
  ASSERT_EQ(history["metrics"].size(), 2u);
  EXPECT_EQ(history["metrics"][0], json({{"value", 0.5}, {"step", 1}, {"timestamp", T0() / 1000}}));
  EXPECT_EQ(history["metrics"][1]["value"], "NaN");
  EXPECT_EQ(history["metrics"][1]["timestamp"], 1767225600123);
  EXPECT_EQ(Get("/api/v1/runs/" + id + "/metrics/train/acc")["metrics"].size(), 1u);
  json paged = Get("/api/v1/runs/" + id + "/metrics/loss", {{"max_results", "1"}});
  EXPECT_EQ(paged["metrics"].size(), 1u);
  EXPECT_NE(paged["next_page_token"], "");
  EXPECT_EQ(Get("/api/v1/runs/" + id)["metrics"]["loss"]["step"], 2);

  Expect(200, "POST", "/api/v1/runs/" + id + "/params", {{"params", {{"lr", "0.1"}}}});
  Expect(200, "POST", "/api/v1/runs/" + id + "/params", {{"params", {{"lr", "0.1"}}}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/runs/" + id + "/params",
              R"({"params":{"lr":"0.2"}})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/runs/" + id + "/params",
              R"({"params":{"lr":0.2}})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/runs/" + id + "/metrics",
              R"({"metrics":[{"key":"loss","value":true}]})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/runs/" + id + "/metrics", R"({"metrics":{}})");

  Expect(200, "PUT", "/api/v1/runs/" + id + "/tags", {{"tags", {{"a/b", "1"}, {"mlcost.team", "vision"}}}});
  json run = Get("/api/v1/runs/" + id);
  EXPECT_EQ(run["params"]["lr"], "0.1");
  EXPECT_EQ(run["tags"]["a/b"], "1");
  EXPECT_EQ(run["attribution"]["team"], "vision");
  Expect(200, "DELETE", "/api/v1/runs/" + id + "/tags/a/b");
  EXPECT_FALSE(Get("/api/v1/runs/" + id)["tags"].contains("a/b"));
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "DELETE", "/api/v1/runs/" + id + "/tags/a/b");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "POST", "/api/v1/runs/nosuchrun/metrics",
              R"({"metrics":[{"key":"x","value":1}]})");
}

TEST_F(ApiTest, TeamsUsersProjectsCrudAndErrors) {
  json team = Expect(201, "POST", "/api/v1/teams", {{"name", "vision"}, {"description", "CV"}});
  EXPECT_EQ(team,
            json({{"name", "vision"}, {"description", "CV"}, {"creation_time", "2026-01-01T00:00:00Z"}}));
  ExpectError(400, "RESOURCE_ALREADY_EXISTS", "POST", "/api/v1/teams", R"({"name":"vision"})");
  EXPECT_EQ(Expect(200, "PUT", "/api/v1/teams/vision", {{"description", "Vision"}})["description"], "Vision");
  Expect(200, "PUT", "/api/v1/teams/nlp", json::object());
  json teams = Get("/api/v1/teams", {{"max_results", "1"}});
  ASSERT_EQ(teams["teams"].size(), 1u);
  EXPECT_EQ(teams["teams"][0]["name"], "nlp");
  EXPECT_EQ(Get("/api/v1/teams", {{"page_token", teams["next_page_token"]}})["teams"][0]["name"], "vision");

  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "POST", "/api/v1/users", R"({"name":"ann","team":"nope"})");
  json user =
      Expect(201, "POST", "/api/v1/users", {{"name", "ann"}, {"team", "vision"}, {"email", "a@x.io"}});
  EXPECT_EQ(user["team"], "vision");
  EXPECT_EQ(Expect(201, "POST", "/api/v1/users", {{"name", "bo"}})["team"], nullptr);
  json project = Expect(201, "POST", "/api/v1/projects", {{"name", "det"}, {"team", "vision"}});
  EXPECT_EQ(Get("/api/v1/projects/det")["team"], "vision");
  EXPECT_EQ(project["description"], "");

  std::string message = ExpectError(409, "RESOURCE_CONFLICT", "DELETE", "/api/v1/teams/vision");
  EXPECT_NE(message.find("user 'ann'"), std::string::npos) << message;
  Expect(200, "PUT", "/api/v1/users/ann", {{"team", "nlp"}});
  Expect(200, "DELETE", "/api/v1/projects/det");
  Expect(200, "DELETE", "/api/v1/teams/vision");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/teams/vision");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "DELETE", "/api/v1/users/zed");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "PUT", "/api/v1/users/ann", R"({"name":"other"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/projects", R"({"name":"p","owner":"x"})");
  EXPECT_EQ(Get("/api/v1/users")["users"].size(), 2u);
}

TEST_F(ApiTest, BadInputGetsTheRightStatusAndCode) {
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/experiments", R"({"name": )");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/experiments", R"([1,2])");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/experiments", R"({"name": 5})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/v1/experiments", R"({})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/runs", "", {{"max_results", "0"}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/runs", "", {{"max_results", "ten"}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/runs", "", {{"page_token", "garbage!"}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/experiments", "", {{"view", "some"}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/runs", "", {{"filter", "metrics.loss <<< 1"}});
  ExpectError(404, "ENDPOINT_NOT_FOUND", "GET", "/api/v1/nothing");
  ExpectError(405, "ENDPOINT_NOT_FOUND", "PUT", "/api/v1/experiments");
  ExpectError(405, "ENDPOINT_NOT_FOUND", "POST", "/api/v1/runs/abc");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "PATCH", "/api/v1/runs/abc", R"({"name":"x"})");
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs/runs", "", {{"group_by", "model"}});
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs/runs", "", {{"since", "last week"}});
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/v1/costs/runs", "", {{"experiment_id", "77"}});
}

// Six runs over two experiments, three users with teams, tag and experiment-tag projects, two
// unpriced runs, one deleted run and one that started before the window. Costs after one hour:
// r1 0.42 (c3), r2 0.1632 (m7g), r6 0.84 (c3, started an hour early).
class CostGroupingTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    for (const char* t : {"vision", "nlp"}) Expect(201, "POST", "/api/v1/teams", {{"name", t}});
    Expect(201, "POST", "/api/v1/users", {{"name", "alice"}, {"team", "vision"}});
    Expect(201, "POST", "/api/v1/users", {{"name", "bob"}, {"team", "nlp"}});
    Expect(201, "POST", "/api/v1/users", {{"name", "carol"}});
    a_ = Expect(201, "POST", "/api/v1/experiments",
                {{"name", "A"}, {"tags", {{"mlcost.project", "proj-a"}}}})["id"];
    b_ = Expect(201, "POST", "/api/v1/experiments", {{"name", "B"}})["id"];
    json m7g = {{"instance_type", "m7g.xlarge"}, {"region", "us-east-1"}};
    NewRun(Merge(kC3, {{"experiment_id", a_}, {"user", "alice"}}));
    NewRun(Merge(m7g, {{"experiment_id", a_}, {"user", "bob"}, {"team", "vision"}}));
    NewRun(
        {{"experiment_id", b_}, {"user", "carol"}, {"project", "proj-b"}, {"instance_type", "zz.unknown"}});
    NewRun({{"experiment_id", b_}, {"user", "dave"}});
    Expect(200, "DELETE", "/api/v1/runs/" + NewRun(Merge(kC3, {{"experiment_id", b_}, {"user", "alice"}})));
    NewRun(Merge(kC3, {{"experiment_id", b_}, {"user", "bob"}, {"start_time", "2025-12-31T23:00:00Z"}}));
    Advance(3600);
  }

  static json Merge(json base, const json& more) {
    base.update(more);
    return base;
  }

  // {"key": [runs, priced_runs, "USD cost" or ""]} of a report.
  static std::map<std::string, std::tuple<int, int, std::string>> Summary(const json& report) {
    std::map<std::string, std::tuple<int, int, std::string>> out;
    for (const json& g : report["groups"]) {
      out[g["key"]] = {g["runs"], g["priced_runs"], g["cost"].value("USD", "")};
    }
    return out;
  }

  std::string a_, b_;
};

using Row = std::tuple<int, int, std::string>;

TEST_F(CostGroupingTest, ByTeam) {
  json r = Get("/api/v1/costs/runs", {{"group_by", "team"}});
  EXPECT_EQ(r["group_by"], "team");
  EXPECT_EQ(Summary(r),
            (std::map<std::string, Row>{
                {"nlp", {1, 1, "0.84"}}, {"unallocated", {2, 0, ""}}, {"vision", {2, 2, "0.5832"}}}));
  EXPECT_EQ(r["groups"][2]["billable_seconds"], 7200);
  EXPECT_EQ(r["total"], json({{"USD", "1.4232"}}));
  EXPECT_EQ(r["unpriced_runs"], 2);
  EXPECT_EQ(r["runs"], 5);
  EXPECT_EQ(r["as_of"], "2026-01-01T01:00:00Z");
}

TEST_F(CostGroupingTest, ByUserProjectAndExperiment) {
  EXPECT_EQ(Summary(Get("/api/v1/costs/runs", {{"group_by", "user"}})),
            (std::map<std::string, Row>{{"alice", {1, 1, "0.42"}},
                                        {"bob", {2, 2, "1.0032"}},
                                        {"carol", {1, 0, ""}},
                                        {"dave", {1, 0, ""}}}));
  EXPECT_EQ(Summary(Get("/api/v1/costs/runs", {{"group_by", "project"}})),
            (std::map<std::string, Row>{
                {"proj-a", {2, 2, "0.5832"}}, {"proj-b", {1, 0, ""}}, {"unallocated", {2, 1, "0.84"}}}));
  json by_experiment = Get("/api/v1/costs/runs", {{"group_by", "experiment"}});
  EXPECT_EQ(Summary(by_experiment),
            (std::map<std::string, Row>{{a_, {2, 2, "0.5832"}}, {b_, {3, 1, "0.84"}}}));
  EXPECT_EQ(by_experiment["groups"][0]["name"], "A");
}

TEST_F(CostGroupingTest, FiltersByExperimentAndStartTime) {
  EXPECT_EQ(Get("/api/v1/costs/runs", {{"experiment_id", a_}})["total"]["USD"], "0.5832");
  EXPECT_EQ(Get("/api/v1/costs/runs", {{"since", "2026-01-01T00:00:00Z"}})["total"]["USD"], "0.5832");
  json before = Get("/api/v1/costs/runs", {{"until", "2026-01-01T00:00:00Z"}, {"group_by", "user"}});
  EXPECT_EQ(Summary(before), (std::map<std::string, Row>{{"bob", {1, 1, "0.84"}}}));
  EXPECT_EQ(Get("/api/v1/costs/runs", {{"experiment_id", "0"}})["groups"].size(), 0u);
  ExpectError(400, "INVALID_PARAMETER_VALUE", "GET", "/api/v1/costs/runs", "",
              {{"since", "2026-02-01"}, {"until", "2026-01-01"}});
}

TEST_F(ApiTest, MlflowExperimentRoutes) {
  Expect(200, "POST", "/api/2.0/mlflow/experiments/create", {{"name", "dup"}});
  ExpectError(400, "RESOURCE_ALREADY_EXISTS", "POST", "/api/2.0/mlflow/experiments/create",
              R"({"name":"dup"})");
  ExpectError(404, "RESOURCE_DOES_NOT_EXIST", "GET", "/api/2.0/mlflow/experiments/get-by-name", "",
              {{"experiment_name", "missing"}});
  EXPECT_EQ(Get("/api/2.0/mlflow/experiments/get", {{"experiment_id", "0"}})["experiment"]["name"],
            "Default");
}

TEST_F(ApiTest, MlflowLogBatchRules) {
  std::string id =
      Expect(200, "POST", "/api/2.0/mlflow/runs/create", {{"experiment_id", "0"}})["run"]["info"]["run_id"];
  json metrics = json::array();
  for (int i = 0; i < 1001; ++i)
    metrics.push_back({{"key", "m"}, {"value", i}, {"timestamp", 1}, {"step", i}});
  std::string message = ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/2.0/mlflow/runs/log-batch",
                                    json({{"run_id", id}, {"metrics", metrics}}).dump());
  EXPECT_NE(message.find("at most 1000 metrics"), std::string::npos) << message;

  // A bare NaN token, as Python's json.dumps writes it, comes back as "NaN".
  ASSERT_EQ(Call("POST", "/api/2.0/mlflow/runs/log-metric",
                 R"({"run_id":")" + id + R"(","key":"nan","value":NaN,"timestamp":5,"step":0})")
                .status,
            200);
  json nan = Get("/api/2.0/mlflow/metrics/get-history", {{"run_id", id}, {"metric_key", "nan"}});
  EXPECT_EQ(nan["metrics"][0]["value"], "NaN");

  json batch = {{"run_id", id},
                {"metrics", {{{"key", "loss"}, {"value", 0.25}, {"timestamp", 10}, {"step", 3}}}},
                {"params", {{{"key", "lr"}, {"value", "0.1"}}}}};
  Expect(200, "POST", "/api/2.0/mlflow/runs/log-batch", batch);
  Expect(200, "POST", "/api/2.0/mlflow/runs/log-batch", batch);  // a retry
  json history = Get("/api/2.0/mlflow/metrics/get-history", {{"run_id", id}, {"metric_key", "loss"}});
  EXPECT_EQ(history["metrics"].size(), 1u);
  message = ExpectError(400, "INVALID_PARAMETER_VALUE", "POST", "/api/2.0/mlflow/runs/log-parameter",
                        json({{"run_id", id}, {"key", "lr"}, {"value", "0.2"}}).dump());
  EXPECT_NE(message.find("Changing param values is not allowed"), std::string::npos) << message;
}

}  // namespace
}  // namespace mlcost::api
