// Helpers for the sqlconsole tests: a migrated in-memory (or temp-file) database.
#ifndef MLCOST_SQLCONSOLE_SQL_TEST_UTIL_H_
#define MLCOST_SQLCONSOLE_SQL_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/database.h"
#include "store/migrations.h"

namespace mlcost::sqlconsole {

// A database at the current schema; `path` ":memory:" by default.
inline std::unique_ptr<store::Database> MigratedDatabase(const std::string& path = ":memory:") {
  auto db = store::Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  auto conn = (*db)->Connect();
  EXPECT_TRUE(conn.ok());
  auto version = store::Migrate(*conn, store::SchemaMigrations());
  EXPECT_TRUE(version.ok()) << version.status().ToString();
  return std::move(db).value();
}

// A fixture holding a database at the current schema and one connection to it. Derived fixtures
// that override SetUp call this one first.
class MigratedDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = MigratedDatabase();
    ASSERT_NE(db_, nullptr);
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<store::Connection>(std::move(conn).value());
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Connection> conn_;
};

}  // namespace mlcost::sqlconsole

#endif  // MLCOST_SQLCONSOLE_SQL_TEST_UTIL_H_
