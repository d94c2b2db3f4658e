// Helpers for the tracking tests only: a TrackingService over a real DuckDB (in memory or in a
// temp-dir file) with a FakeClock, and status assertions.
#ifndef MLCOST_TRACKING_TRACKING_TEST_UTIL_H_
#define MLCOST_TRACKING_TRACKING_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "mlcost/status.h"
#include "store/database.h"
#include "tracking/tracking_service.h"

namespace mlcost::tracking {

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

#define MLCOST_ASSERT_OK(expr)                                                   \
  do {                                                                           \
    const auto& mlcost_r_ = (expr);                                              \
    ASSERT_TRUE(::mlcost::tracking::StatusOf(mlcost_r_).ok())                    \
        << #expr << ": " << ::mlcost::tracking::StatusOf(mlcost_r_).ToString();  \
  } while (0)

#define MLCOST_EXPECT_CODE(expr, expected_code)                                  \
  do {                                                                           \
    const auto& mlcost_r_ = (expr);                                              \
    EXPECT_EQ(::mlcost::tracking::StatusOf(mlcost_r_).code(), expected_code)     \
        << #expr << ": " << ::mlcost::tracking::StatusOf(mlcost_r_).ToString();  \
  } while (0)

// 2023-11-14T22:13:20Z, in microseconds.
inline constexpr Micros kStartMicros = 1'700'000'000'000'000;
inline constexpr int64_t kStartMillis = kStartMicros / 1000;

class TrackingTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenService(":memory:"); }
  void TearDown() override { CloseService(); }

  void OpenService(const std::string& path) {
    CloseService();
    auto db = store::Database::Open(path, store::DatabaseOptions{.threads = 2, .memory_limit = "1GB"});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto service = TrackingService::Open(*db_, clock_, TrackingOptions{.artifact_root = "mlflow-artifacts:"});
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    svc_ = std::move(service).value();
  }

  void CloseService() {
    svc_.reset();
    db_.reset();
  }

  TrackingService& svc() { return *svc_; }

  std::string NewExperiment(const std::string& name) {
    auto id = svc().CreateExperiment(name, "", {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  mlcost::Run NewRun(const std::string& experiment_id = "0", const std::string& run_name = "",
             std::vector<KeyValue> tags = {}) {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.run_name = run_name;
    request.tags = std::move(tags);
    auto run = svc().CreateRun(request);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : mlcost::Run{};
  }

  Status Log(const std::string& run_id, std::vector<Metric> metrics, std::vector<KeyValue> params = {},
             std::vector<KeyValue> tags = {}) {
    return svc().LogBatch(LogBatchRequest{run_id, std::move(metrics), std::move(params), std::move(tags)});
  }

  // Runs `sql` on a fresh connection and returns the first cell as an integer.
  int64_t Scalar(const std::string& sql) {
    auto conn = db_->Connect();
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    if (!conn.ok()) return -1;
    auto rows = conn->Query(sql);
    EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
    if (!rows.ok() || rows->RowCount() == 0) return -1;
    return rows->GetInt64(0, 0);
  }

  // Runs statements on a fresh connection, for setting up states the API cannot reach.
  void Exec(const std::string& sql) {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    Status s = conn->Execute(sql);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }

  FakeClock clock_{kStartMicros};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<TrackingService> svc_;
};

// The value of tag `key` in `tags`, or "<absent>".
inline std::string TagValue(const std::vector<KeyValue>& tags, const std::string& key) {
  for (const KeyValue& t : tags) {
    if (t.key == key) return t.value;
  }
  return "<absent>";
}

}  // namespace mlcost::tracking

#endif  // MLCOST_TRACKING_TRACKING_TEST_UTIL_H_
