#include "sqlconsole/query_scheduler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "sqlconsole/sql_test_util.h"
#include "store/test_util.h"

namespace mlcost::sqlconsole {
namespace {

namespace fs = std::filesystem;

constexpr Micros kT0 = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr Micros kMinute = 60 * kMicrosPerSecond;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class QuerySchedulerTest : public MigratedDatabaseTest {
 protected:
  QuerySchedulerTest() : clock_(kT0) {}
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    sql_ = std::make_unique<SqlService>(*db_, SqlLimits{});
    auto store = SavedQueryStore::Open(*db_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    auto exporter = QueryExporter::Open(*sql_, root_.path() + "/exports");
    ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
    exporter_ = std::move(exporter).value();
    scheduler_ = std::make_unique<QueryScheduler>(*store_, *exporter_, clock_);
  }
  void AddTeam(const std::string& name) {
    ASSERT_TRUE(conn_->Exec("INSERT INTO teams VALUES (?, '', TIMESTAMP '2026-01-01')", name).ok());
  }
  SavedQuery Query(const std::string& name, const std::string& sql, ExportFormat format,
                   std::optional<int64_t> interval) {
    SavedQuery q;
    q.name = name;
    q.sql = sql;
    q.format = format;
    q.output_dir = "bi";
    q.interval_seconds = interval;
    q.created_at = clock_.Now();
    if (interval) q.next_run_at = clock_.Now();
    return q;
  }
  fs::path Out(const std::string& file) { return fs::path(exporter_->root()) / "bi" / file; }

  store::TempDir root_;
  FakeClock clock_;
  std::unique_ptr<SqlService> sql_;
  std::unique_ptr<SavedQueryStore> store_;
  std::unique_ptr<QueryExporter> exporter_;
  std::unique_ptr<QueryScheduler> scheduler_;
};

TEST_F(QuerySchedulerTest, RunsDueQueriesOncePerInterval) {
  AddTeam("vision");
  ASSERT_TRUE(
      store_->Create(Query("teams", "SELECT name FROM teams ORDER BY name", ExportFormat::kCsv, 3600)).ok());
  ASSERT_TRUE(store_->Create(Query("manual", "SELECT 1", ExportFormat::kCsv, std::nullopt)).ok());

  auto ran = scheduler_->RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 1);  // "manual" has no interval
  EXPECT_EQ(ReadFile(Out("teams.csv")), "name\nvision\n");
  EXPECT_FALSE(fs::exists(Out("manual.csv")));
  SavedQuery q = *store_->Get("teams");
  EXPECT_EQ(q.last_status, "ok");
  EXPECT_EQ(q.last_run_at, kT0);
  EXPECT_EQ(q.last_row_count, 1);
  EXPECT_EQ(q.last_output, "bi/teams.csv");
  EXPECT_EQ(q.next_run_at, kT0 + 60 * kMinute);

  AddTeam("nlp");
  EXPECT_EQ(*scheduler_->RunDue(), 0);
  clock_.Advance(59 * kMinute);
  EXPECT_EQ(*scheduler_->RunDue(), 0);
  EXPECT_EQ(ReadFile(Out("teams.csv")), "name\nvision\n");
  clock_.Advance(kMinute);
  EXPECT_EQ(*scheduler_->RunDue(), 1);
  EXPECT_EQ(ReadFile(Out("teams.csv")), "name\nnlp\nvision\n");
  q = *store_->Get("teams");
  EXPECT_EQ(q.last_row_count, 2);
  EXPECT_EQ(q.next_run_at, kT0 + 120 * kMinute);
  // No temporary file is left beside the output.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(Out("").parent_path())) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(QuerySchedulerTest, RunNowWritesParquetAndKeepsTheSchedule) {
  AddTeam("vision");
  AddTeam("nlp");
  ASSERT_TRUE(store_->Create(Query("t", "SELECT name FROM teams", ExportFormat::kParquet, 86400)).ok());
  clock_.Advance(5 * kMinute);
  auto q = scheduler_->RunNow("t");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->last_status, "ok");
  EXPECT_EQ(q->last_row_count, 2);
  EXPECT_EQ(q->last_run_at, kT0 + 5 * kMinute);
  EXPECT_EQ(q->next_run_at, kT0);  // still due from creation
  auto back = conn_->Query("SELECT string_agg(name, ',' ORDER BY name) FROM read_parquet('" +
                           Out("t.parquet").string() + "')");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->GetString(0, 0), "nlp,vision");
  EXPECT_EQ(scheduler_->RunNow("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(QuerySchedulerTest, FailuresAreRecordedAndKeepTheOldFile) {
  AddTeam("vision");
  ASSERT_TRUE(store_->Create(Query("q", "SELECT name FROM teams", ExportFormat::kCsv, 3600)).ok());
  ASSERT_EQ(*scheduler_->RunDue(), 1);
  // The table loses the column the query reads: the next run fails at bind time.
  ASSERT_TRUE(conn_->Execute("ALTER TABLE teams RENAME COLUMN name TO team_name").ok());
  clock_.Advance(60 * kMinute);
  ASSERT_EQ(*scheduler_->RunDue(), 1);
  SavedQuery q = *store_->Get("q");
  EXPECT_EQ(q.last_status, "error");
  EXPECT_NE(q.last_error.find("name"), std::string::npos) << q.last_error;
  EXPECT_FALSE(q.last_row_count.has_value());
  EXPECT_EQ(q.next_run_at, kT0 + 120 * kMinute);
  EXPECT_EQ(ReadFile(Out("q.csv")), "name\nvision\n");
}

TEST_F(QuerySchedulerTest, OutputFolderCannotEscapeTheRootThroughALink) {
  const fs::path outside = fs::path(root_.path()) / "outside";
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, fs::path(exporter_->root()) / "link");
  SavedQuery q = Query("x", "SELECT 1", ExportFormat::kCsv, std::nullopt);
  q.output_dir = "link";
  auto r = exporter_->Export(q);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST_F(QuerySchedulerTest, StoreCrud) {
  ASSERT_TRUE(store_->Create(Query("b", "SELECT 1", ExportFormat::kCsv, 3600)).ok());
  ASSERT_TRUE(store_->Create(Query("a", "SELECT 2", ExportFormat::kParquet, std::nullopt)).ok());
  EXPECT_EQ(store_->Create(Query("a", "SELECT 3", ExportFormat::kCsv, std::nullopt)).code(),
            StatusCode::kAlreadyExists);
  auto all = store_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "a");
  EXPECT_EQ((*all)[0].format, ExportFormat::kParquet);
  EXPECT_EQ((*all)[1].interval_seconds, 3600);
  EXPECT_TRUE(store_->Delete("a").ok());
  EXPECT_EQ(store_->Delete("a").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("a").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlcost::sqlconsole
