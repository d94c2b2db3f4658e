// Unit tests of the CLI's pieces that need no server: argument parsing, error mapping, and the
// text formatting of the /api/v1 shapes.
#include "cli/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/api_client.h"
#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/run_format.h"
#include "cli/target.h"
#include "cli/text_table.h"
#include "common/clock.h"
#include "server/server.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

int RunMain(std::vector<std::string> args) {
  args.insert(args.begin(), "mlcost");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return Main(static_cast<int>(argv.size()), argv.data());
}

Micros At(const char* iso) { return ParseIso8601(iso).value(); }

TEST(MainTest, HelpAndVersionExitZero) {
  EXPECT_EQ(RunMain({"--help"}), 0);
  EXPECT_EQ(RunMain({"--version"}), 0);
  EXPECT_EQ(RunMain({"runs", "list", "--help"}), 0);
  EXPECT_EQ(RunMain({"demo", "--help"}), 0);
}

TEST(MainTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunMain({}), 2);
  EXPECT_EQ(RunMain({"--bogus"}), 2);
  EXPECT_EQ(RunMain({"runs"}), 2);
  EXPECT_EQ(RunMain({"runs", "list", "--max-results", "0"}), 2);
  EXPECT_EQ(RunMain({"runs", "list", "--view", "archived"}), 2);
  EXPECT_EQ(RunMain({"runs", "list", "--server", "ftp://host"}), 2);
  EXPECT_EQ(RunMain({"runs", "list", "--server", "http://127.0.0.1:1", "--data-dir", "x"}), 2);
  EXPECT_EQ(RunMain({"runs", "show"}), 2);
  EXPECT_EQ(RunMain({"runs", "show", "../etc"}), 2);
  EXPECT_EQ(RunMain({"experiments", "list", "--view", "nope"}), 2);
  EXPECT_EQ(RunMain({"serve", "--port", "70000"}), 2);
}

TEST(MainTest, UnreachableServerExitsOne) {
  EXPECT_EQ(RunMain({"experiments", "list", "--server", "http://127.0.0.1:1"}), 1);
  EXPECT_EQ(RunMain({"runs", "show", "abc", "--server", "http://127.0.0.1:1"}), 1);
}

TEST(ApiClientTest, ConnectionRefusedNamesTheServerAndTheFix) {
  ApiClient client("http://127.0.0.1:1/");
  EXPECT_EQ(client.base_url(), "http://127.0.0.1:1");
  Result<json> got = client.Get("/healthz");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(got.status().message(), HasSubstr("cannot reach mlcost server at http://127.0.0.1:1"));
  EXPECT_THAT(got.status().message(), HasSubstr("start it with `mlcost serve` or pass --data-dir"));
}

TEST(ApiClientTest, ValidatesServerUrls) {
  for (const char* ok :
       {"http://127.0.0.1:8080", "http://localhost", "https://mlcost.example.com:443/", "http://[::1]:80"}) {
    EXPECT_TRUE(ValidateServerUrl(ok).ok()) << ok;
  }
  for (const char* bad : {"", "127.0.0.1:8080", "ftp://h", "http://", "http://h:8080/api", "http://h:port"}) {
    EXPECT_EQ(ValidateServerUrl(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ApiClientTest, ErrorBodiesBecomeStatuses) {
  const std::string url = "http://h:1";
  Status s = StatusFromErrorResponse(
      url, 404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run 'x' not found"})");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "Run 'x' not found");
  EXPECT_FALSE(IsMissingEndpoint(s));

  s = StatusFromErrorResponse(url, 400, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"taken"})");
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  s = StatusFromErrorResponse(url, 400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"bad filter"})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ExitCodeFor(s), kExitUsage);
  s = StatusFromErrorResponse(url, 409, R"({"error_code":"SOMETHING_NEW","message":"m"})");
  EXPECT_EQ(s.code(), StatusCode::kConflict);

  s = StatusFromErrorResponse(
      url, 404, R"({"error_code":"ENDPOINT_NOT_FOUND","message":"No API endpoint GET /api/v1/x"})");
  EXPECT_TRUE(IsMissingEndpoint(s));
  EXPECT_THAT(s.message(), HasSubstr("No API endpoint GET /api/v1/x"));

  s = StatusFromErrorResponse(url, 502, "<html>Bad Gateway</html>");
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("server at http://h:1 answered HTTP 502: <html>Bad Gateway"));
}

TEST(ExitCodeTest, MapsStatusesToExitCodes) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(InvalidArgument("x")), 2);
  EXPECT_EQ(ExitCodeFor(NotFound("x")), 1);
  EXPECT_EQ(ExitCodeFor(Unavailable("x")), 1);
  EXPECT_EQ(ExitCodeFor(Conflict("x")), 1);
  EXPECT_EQ(ExitCodeFor(Internal("x")), 1);
}

TEST(TargetTest, ConflictHintNamesTheHoldersUrl) {
  Status held = Conflict(
      "data directory d is in use by pid 42: mlcost serve on http://127.0.0.1:8080; stop it, or use "
      "--server");
  EXPECT_EQ(DataDirConflictHint(held), "\nhint: talk to that server instead: --server http://127.0.0.1:8080");
  EXPECT_THAT(DataDirConflictHint(Conflict("in use by pid 42: mlcost serve (starting)")),
              HasSubstr("--server URL"));
  EXPECT_EQ(DataDirConflictHint(Unavailable("x")), "");
}

// A taken port is refused, not shared (cpp-httplib's default SO_REUSEPORT would share it).
TEST(ServerPortTest, SecondServerOnTakenPortFails) {
  auto dir1 = std::filesystem::temp_directory_path() / ("mlcost-port-a-" + std::to_string(getpid()));
  auto dir2 = std::filesystem::temp_directory_path() / ("mlcost-port-b-" + std::to_string(getpid()));
  server::ServerOptions first;
  first.data_dir = dir1.string();
  first.port = 0;
  first.threads = 2;
  auto a = server::Server::Start(first, SystemClock::Get());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  server::ServerOptions second = first;
  second.data_dir = dir2.string();
  second.port = (*a)->port();
  auto b = server::Server::Start(second, SystemClock::Get());
  EXPECT_EQ(b.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(b.status().message(), HasSubstr(std::to_string((*a)->port())));
  a->reset();
  std::filesystem::remove_all(dir1);
  std::filesystem::remove_all(dir2);
}


TEST(TextTableTest, AlignsColumnsAndTrimsTrailingSpace) {
  TextTable table({"ID", "NAME", "X"});
  table.AddRow({"1", "résumé", ""});
  table.AddRow({"100", "a"});
  EXPECT_EQ(table.Render(), "ID   NAME    X\n1    résumé\n100  a\n");
  EXPECT_EQ(table.Render("  ", /*header=*/false), "  1    résumé\n  100  a\n");
}

TEST(FormatTest, TimesDurationsAndMoney) {
  EXPECT_EQ(ShortTime("2026-11-26T15:04:05.123000Z"), "2026-11-26 15:04:05");
  EXPECT_EQ(ShortTime(nullptr), "");
  EXPECT_EQ(FormatDuration(59), "59s");
  EXPECT_EQ(FormatDuration(61), "1m 01s");
  EXPECT_EQ(FormatDuration(3725), "1h 02m 05s");
  EXPECT_EQ(FormatDuration(90061), "1d 01h 01m");
  EXPECT_EQ(FormatDuration(-5), "0s");
  EXPECT_EQ(TrimMoney("1.530000000000"), "1.53");
  EXPECT_EQ(TrimMoney("0.000850"), "0.00085");
  EXPECT_EQ(TrimMoney("3"), "3.00");
  EXPECT_EQ(TrimMoney("12.5"), "12.50");
}

TEST(FormatTest, RunDurationUsesNowWhileRunning) {
  json run = {{"start_time", "2026-01-01T00:00:00Z"}, {"end_time", nullptr}};
  EXPECT_EQ(RunDurationSeconds(run, At("2026-01-01T00:30:00Z")), 1800);
  run["end_time"] = "2026-01-01T00:10:00Z";
  EXPECT_EQ(RunDurationSeconds(run, At("2026-01-01T00:30:00Z")), 600);
  EXPECT_EQ(RunDurationSeconds(json::object(), At("2026-01-01T00:30:00Z")), -1);
}

json PricedRun() {
  return {{"id", "abc123"},
          {"name", "resnet"},
          {"experiment_id", "1"},
          {"status", "RUNNING"},
          {"lifecycle_stage", "active"},
          {"start_time", "2026-01-01T00:00:00Z"},
          {"end_time", nullptr},
          {"params", {{"lr", "0.1"}}},
          {"metrics", {{"loss", {{"value", 0.25}, {"step", 19}, {"timestamp", 1}}}}},
          {"tags", {{"mlcost.instance_type", "p3.2xlarge"}}},
          {"resources",
           {{"instance_type", "p3.2xlarge"},
            {"provider", "aws"},
            {"region", "us-east-1"},
            {"pricing", "on-demand"},
            {"gpu_count", 1},
            {"accelerator", "V100"}}},
          {"attribution", {{"user", "alice"}, {"team", "vision"}, {"project", "unallocated"}}},
          {"cost",
           {{"hourly_price", "3.06"},
            {"currency", "USD"},
            {"price_source", "built-in"},
            {"billable_seconds", 1800},
            {"cost_so_far", "1.530000"},
            {"final", false}}},
          {"cost_reason", ""}};
}

TEST(FormatTest, RunTableShowsCostOrDash) {
  json priced = PricedRun();
  json unpriced = PricedRun();
  unpriced["id"] = "def456";
  unpriced["cost"] = nullptr;
  std::string table = RunTable({priced, unpriced}, At("2026-01-01T00:30:00Z"));
  EXPECT_THAT(table, HasSubstr("RUN ID  NAME    EXPERIMENT  STATUS   STARTED (UTC)        DURATION  COST\n"));
  EXPECT_THAT(table,
              HasSubstr("abc123  resnet  1           RUNNING  2026-01-01 00:00:00  30m 00s   1.53 USD\n"));
  EXPECT_THAT(table, HasSubstr("def456  resnet  1           RUNNING  2026-01-01 00:00:00  30m 00s   -\n"));
}

TEST(FormatTest, RunDetailsShowKnownCost) {
  std::string text = RunDetails(PricedRun(), At("2026-01-01T00:30:00Z"));
  EXPECT_THAT(text, HasSubstr("run           abc123\n"));
  EXPECT_THAT(text, HasSubstr("resources     p3.2xlarge (aws, us-east-1, on-demand, 1x V100)\n"));
  EXPECT_THAT(text, HasSubstr("  hourly price      3.06 USD/h\n"));
  EXPECT_THAT(text, HasSubstr("  price source      built-in\n"));
  EXPECT_THAT(text, HasSubstr("  billable seconds  1800 (30m 00s)\n"));
  EXPECT_THAT(text, HasSubstr("  cost so far       1.53 USD (still running)\n"));
  EXPECT_THAT(text, HasSubstr("  lr  0.1\n"));
  EXPECT_THAT(text, HasSubstr("  loss  0.25  step 19\n"));
  EXPECT_THAT(text, Not(HasSubstr("unknown")));
}

TEST(FormatTest, RunDetailsShowWhyCostIsUnknown) {
  json run = PricedRun();
  run["cost"] = nullptr;
  run["cost_reason"] = "no mlcost.instance_type tag";
  EXPECT_EQ(CostBlock(run), "cost: unknown (no mlcost.instance_type tag)\n");
  EXPECT_THAT(RunDetails(run, At("2026-01-01T00:30:00Z")),
              HasSubstr("cost: unknown (no mlcost.instance_type tag)\n"));
}

TEST(ConvertTest, MlflowRunBecomesTheV1Shape) {
  json mlflow = json::parse(R"({
      "info": {"run_id": "r1", "run_name": "n", "experiment_id": "3", "user_id": "bob", "status": "FINISHED",
               "start_time": 1767225600000, "end_time": 1767227400000, "lifecycle_stage": "active"},
      "data": {"params": [{"key": "lr", "value": "0.1"}],
               "metrics": [{"key": "loss", "value": 0.5, "timestamp": 5, "step": 2}],
               "tags": [{"key": "mlcost.instance_type", "value": "p3.2xlarge"},
                        {"key": "mlcost.team", "value": "v"}]}})");
  json run = RunFromMlflow(mlflow);
  EXPECT_EQ(run["id"], "r1");
  EXPECT_EQ(run["start_time"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(run["end_time"], "2026-01-01T00:30:00Z");
  EXPECT_EQ(run["params"]["lr"], "0.1");
  EXPECT_EQ(run["metrics"]["loss"]["step"], 2);
  EXPECT_EQ(run["resources"]["instance_type"], "p3.2xlarge");
  EXPECT_EQ(run["attribution"]["team"], "v");
  EXPECT_TRUE(run["cost"].is_null());
  EXPECT_THAT(CostBlock(run), HasSubstr("cost: unknown (this server has no /api/v1"));
  EXPECT_EQ(RunDurationSeconds(run, 0), 1800);
}

TEST(ConvertTest, ToleratesMissingAndMistypedFields) {
  json run = RunFromMlflow(json::parse(R"({"info": 7, "data": {"metrics": [1, {"key": 2}]}})"));
  EXPECT_EQ(run["id"], "");
  EXPECT_TRUE(run["start_time"].is_null());
  json experiment =
      ExperimentFromMlflow(json::parse(R"({"experiment_id": "4", "name": "e", "creation_time": "x"})"));
  EXPECT_EQ(experiment["id"], "4");
  EXPECT_TRUE(experiment["creation_time"].is_null());
  EXPECT_EQ(ExperimentTable({experiment}), "ID  NAME  STAGE  CREATED (UTC)\n4   e\n");
}

}  // namespace
}  // namespace mlcost::cli
