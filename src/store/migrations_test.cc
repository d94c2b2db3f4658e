#include "store/migrations.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/test_util.h"

namespace mlcost::store {
namespace {

const std::vector<Migration> kTwo = {
    {1, "first", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1)"},
    {2, "second", "CREATE TABLE b (y VARCHAR); ALTER TABLE a ADD COLUMN z INTEGER DEFAULT 7"},
};

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_.emplace(std::move(conn).value());
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }
  Connection& conn() { return *conn_; }

  int64_t Count(const std::string& sql) {
    auto r = conn().Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? r->GetInt64(0, 0) : -1;
  }
  bool TableExists(const std::string& name) {
    return Count("SELECT count(*) FROM duckdb_tables() WHERE table_name = '" + name + "'") == 1;
  }

  std::unique_ptr<Database> db_;
  std::optional<Connection> conn_;
};

TEST_F(MigrationsTest, EmptyDatabaseIsVersionZero) {
  auto v = SchemaVersion(conn());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 0);
  auto migrated = Migrate(conn(), {});
  ASSERT_TRUE(migrated.ok());
  EXPECT_EQ(*migrated, 0);
}

TEST_F(MigrationsTest, AppliesEachMigrationOnceAndRecordsIt) {
  auto v = Migrate(conn(), kTwo);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 2);
  EXPECT_EQ(*SchemaVersion(conn()), 2);
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));
  EXPECT_EQ(Count("SELECT sum(z) FROM a"), 7);

  auto rows =
      conn().Query("SELECT version, name, applied_at IS NOT NULL FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->RowCount(), 2u);
  EXPECT_EQ(rows->GetInt64(0, 0), 1);
  EXPECT_EQ(rows->GetString(1, 0), "first");
  EXPECT_EQ(rows->GetInt64(0, 1), 2);
  EXPECT_EQ(rows->GetString(1, 1), "second");
  EXPECT_TRUE(rows->GetBool(2, 1));
}

TEST_F(MigrationsTest, RerunIsIdempotent) {
  ASSERT_TRUE(Migrate(conn(), kTwo).ok());
  for (int i = 0; i < 3; ++i) {
    auto v = Migrate(conn(), kTwo);
    ASSERT_TRUE(v.ok()) << v.status().ToString();  // re-running "CREATE TABLE a" would fail
    EXPECT_EQ(*v, 2);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM a"), 1);  // the INSERT ran once
}

TEST_F(MigrationsTest, NewerBinaryAppliesOnlyTheNewMigrations) {
  ASSERT_TRUE(Migrate(conn(), {kTwo[0]}).ok());
  EXPECT_EQ(*SchemaVersion(conn()), 1);
  auto v = Migrate(conn(), kTwo);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM a"), 1);
}

TEST_F(MigrationsTest, FailingMigrationRollsBackAndKeepsEarlierOnes) {
  std::vector<Migration> three = kTwo;
  // The first statement succeeds, the second fails: neither may remain.
  three.push_back({3, "broken", "CREATE TABLE c (x INTEGER); INSERT INTO a VALUES ('not a number')"});
  auto v = Migrate(conn(), three);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInternal);
  EXPECT_NE(v.status().message().find("migration 3 (broken) failed"), std::string::npos)
      << v.status().message();
  EXPECT_EQ(*SchemaVersion(conn()), 2);
  EXPECT_FALSE(TableExists("c"));
  EXPECT_EQ(Count("SELECT count(*) FROM a"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"), 2);

  // The connection is usable afterwards, and a fixed migration 3 applies.
  three.back().sql = "CREATE TABLE c (x INTEGER)";
  auto fixed = Migrate(conn(), three);
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(*fixed, 3);
  EXPECT_TRUE(TableExists("c"));
}

TEST_F(MigrationsTest, SyntaxErrorInFirstMigrationLeavesVersionZero) {
  auto v = Migrate(conn(), {{1, "typo", "CREAT TABLE x (y INTEGER)"}});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInternal);
  EXPECT_EQ(*SchemaVersion(conn()), 0);
}

TEST_F(MigrationsTest, DatabaseNewerThanBinaryIsConflict) {
  std::vector<Migration> three = kTwo;
  three.push_back({3, "third", "CREATE TABLE c (x INTEGER)"});
  ASSERT_TRUE(Migrate(conn(), three).ok());
  auto v = Migrate(conn(), kTwo);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kConflict);
  EXPECT_EQ(v.status().message(),
            "database schema is at version 3 but this mlcost knows only 2; use a newer mlcost");
  EXPECT_EQ(Migrate(conn(), {}).status().code(), StatusCode::kConflict);
  EXPECT_EQ(*SchemaVersion(conn()), 3);  // untouched
}

TEST_F(MigrationsTest, VersionsMustStrictlyIncrease) {
  const std::vector<std::vector<Migration>> bad = {
      {{1, "a", "SELECT 1"}, {1, "b", "SELECT 1"}},
      {{2, "a", "SELECT 1"}, {1, "b", "SELECT 1"}},
      {{1, "a", "SELECT 1"}, {3, "b", "SELECT 1"}, {2, "c", "SELECT 1"}},
  };
  for (const auto& migrations : bad) {
    auto v = Migrate(conn(), migrations);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(v.status().message().find("migration versions must increase"), std::string::npos);
  }
  EXPECT_EQ(*SchemaVersion(conn()), 0);  // nothing was applied
  // Gaps are allowed.
  auto gaps = Migrate(conn(), {{1, "a", "SELECT 1"}, {5, "b", "SELECT 1"}});
  ASSERT_TRUE(gaps.ok());
  EXPECT_EQ(*gaps, 5);
}

TEST(SchemaMigrationsTest, VersionsStartAtOneAndIncrease) {
  const std::vector<Migration>& all = SchemaMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].version, all[i - 1].version);
  for (const Migration& m : all) EXPECT_FALSE(m.name.empty());
}

TEST_F(MigrationsTest, RealSchemaAppliesAndIsIdempotent) {
  const int latest = SchemaMigrations().back().version;
  auto v = Migrate(conn(), SchemaMigrations());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, latest);
  for (const char* table : {"experiments", "experiment_tags", "runs", "run_attempts", "params", "tags",
                            "metric_series", "metric_points", "latest_metrics", "teams", "users", "projects"}) {
    EXPECT_TRUE(TableExists(table)) << table;
  }
  // `metrics` is a view joining points to their series, for SQL users and tests.
  EXPECT_TRUE(conn().Query("SELECT run_id, key, value, timestamp_ms, step FROM metrics").ok());
  auto again = Migrate(conn(), SchemaMigrations());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, latest);
}

TEST(MigrationsOnDiskTest, VersionPersistsAcrossReopen) {
  TempDir dir;
  const std::string path = dir.path() + "/m.duckdb";
  const int latest = SchemaMigrations().back().version;
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    auto conn = (*db)->Connect();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(*conn, SchemaMigrations()).ok());
  }
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  auto conn = (*db)->Connect();
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(*SchemaVersion(*conn), latest);
  auto v = Migrate(*conn, SchemaMigrations());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, latest);
}

}  // namespace
}  // namespace mlcost::store
