// ApiTest: every route of the API (MLflow-compatible and /api/v1) over a real TrackingService on
// an in-memory DuckDB, a FakeClock, the AWS sample price catalog and an ArtifactStore in a temp
// dir; requests are dispatched through the Router, with no socket.
#ifndef MLCOST_API_API_TEST_FIXTURE_H_
#define MLCOST_API_API_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_context.h"
#include "api/http_error.h"
#include "api/mlflow_routes.h"
#include "api/router.h"
#include "api/v1_routes.h"
#include "api/v1_sql.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "pricing/price_catalog.h"
#include "store/database.h"
#include "tracking/artifact_store.h"
#include "tracking/tracking_service.h"

namespace mlcost::api {

using nlohmann::json;
using Query = std::multimap<std::string, std::string>;

// The repository root: $MLCOST_SOURCE_DIR (set by ctest), else derived from this file's path.
inline std::string SourceDir() {
  if (const char* dir = std::getenv("MLCOST_SOURCE_DIR"); dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
}

inline Micros T0() { return ParseIso8601("2026-01-01T00:00:00Z").value(); }

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : clock_(T0()) {}

  void SetUp() override {
    std::string catalog = SourceDir() + "/../shared/data/catalog/aws_v8_vms.sample.csv";
    ASSERT_TRUE(prices_.LoadSkyPilotCsv(catalog).ok()) << catalog;
    auto db = store::Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto tracking = tracking::TrackingService::Open(*db_, clock_);
    ASSERT_TRUE(tracking.ok()) << tracking.status().ToString();
    tracking_ = std::move(tracking).value();
    artifact_dir_ = std::filesystem::temp_directory_path() /
                    ("mlcost_api_test_" + std::to_string(::getpid()) + "_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    artifacts_ = std::make_unique<tracking::ArtifactStore>(artifact_dir_.string());
    ingests_ = std::make_unique<billing::IngestService>(*db_, clock_);
    ctx_ = std::make_unique<ApiContext>(ApiContext{*tracking_, prices_, clock_, *artifacts_, *db_, *ingests_});
    RegisterMlflowExperimentRoutes(router_, *ctx_);
    RegisterMlflowRunRoutes(router_, *ctx_);
    RegisterMlflowArtifactRoutes(router_, *ctx_);
    RegisterV1Routes(router_, *ctx_);

    sql_ = std::make_unique<sqlconsole::SqlService>(*db_, sqlconsole::SqlLimits{});
    auto queries = sqlconsole::SavedQueryStore::Open(*db_);
    ASSERT_TRUE(queries.ok()) << queries.status().ToString();
    queries_ = std::move(queries).value();
    auto exporter = sqlconsole::QueryExporter::Open(*sql_, (artifact_dir_ / "exports").string());
    ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
    exporter_ = std::move(exporter).value();
    scheduler_ = std::make_unique<sqlconsole::QueryScheduler>(*queries_, *exporter_, clock_);
    sql_ctx_ = std::make_unique<SqlRouteContext>(SqlRouteContext{*sql_, *queries_, *scheduler_, clock_});
    RegisterSqlRoutes(router_, *sql_ctx_);
  }

  void TearDown() override {
    sql_ctx_.reset();
    scheduler_.reset();
    exporter_.reset();
    queries_.reset();
    sql_.reset();
    ctx_.reset();
    ingests_.reset();
    tracking_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(artifact_dir_, ec);
  }

  ApiResponse Call(const std::string& method, const std::string& path, const std::string& body = "",
                   const Query& query = {}) {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.query = query;
    request.content_type = "application/json";
    return router_.Dispatch(request);
  }

  // Calls and parses the answer, failing the test when the status is not `want`.
  json Expect(int want, const std::string& method, const std::string& path, const json& body = nullptr,
              const Query& query = {}) {
    ApiResponse r = Call(method, path, body.is_null() ? "" : body.dump(), query);
    EXPECT_EQ(r.status, want) << method << " " << path << " -> " << r.body;
    json parsed = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << r.body;
    return parsed;
  }
  json Get(const std::string& path, const Query& query = {}) {
    return Expect(200, "GET", path, nullptr, query);
  }

  // Asserts an error answer's status and error_code; returns its message.
  std::string ExpectError(int status, const std::string& code, const std::string& method,
                          const std::string& path, const std::string& body = "", const Query& query = {}) {
    ApiResponse r = Call(method, path, body, query);
    EXPECT_EQ(r.status, status) << method << " " << path << " -> " << r.body;
    json parsed = json::parse(r.body, nullptr, false);
    EXPECT_EQ(parsed.value("error_code", ""), code) << r.body;
    return parsed.value("message", "");
  }

  // Creates a run through /api/v1 and returns its id.
  std::string NewRun(const json& body) {
    return Expect(201, "POST", "/api/v1/runs", body)["id"].get<std::string>();
  }

  void Advance(int64_t seconds) { clock_.Advance(seconds * kMicrosPerSecond); }

  FakeClock clock_;
  pricing::PriceCatalog prices_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<tracking::TrackingService> tracking_;
  std::filesystem::path artifact_dir_;
  std::unique_ptr<tracking::ArtifactStore> artifacts_;
  std::unique_ptr<billing::IngestService> ingests_;
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<sqlconsole::SqlService> sql_;
  std::unique_ptr<sqlconsole::SavedQueryStore> queries_;
  std::unique_ptr<sqlconsole::QueryExporter> exporter_;
  std::unique_ptr<sqlconsole::QueryScheduler> scheduler_;
  std::unique_ptr<SqlRouteContext> sql_ctx_;
  Router router_;
};

}  // namespace mlcost::api

#endif  // MLCOST_API_API_TEST_FIXTURE_H_
