// Tests of the DuckDB wrapper against real DuckDB databases, in memory and on disk.
#include "store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/test_util.h"

namespace mlcost::store {
namespace {

class MemoryDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", DatabaseOptions{.threads = 2, .memory_limit = "1GB"});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_.emplace(std::move(conn).value());
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }
  Connection& conn() { return *conn_; }

  // Runs `sql` and returns its single cell as text.
  std::string Scalar(const std::string& sql) {
    auto r = conn().Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    if (!r.ok() || r->RowCount() == 0) return "<none>";
    return r->GetString(0, 0);
  }

  std::unique_ptr<Database> db_;
  std::optional<Connection> conn_;
};

TEST_F(MemoryDbTest, QueryReadsEveryColumnType) {
  ASSERT_TRUE(
      conn()
          .Execute("CREATE TABLE t (i BIGINT, d DOUBLE, b BOOLEAN, s VARCHAR, ts TIMESTAMP, "
                   "m DECIMAL(38,12)); "
                   "INSERT INTO t VALUES (-7, 2.5, true, 'héllo', TIMESTAMP '2024-09-01 13:05:00.123456', "
                   "-12.000000000001), (NULL, NULL, NULL, NULL, NULL, NULL)")
          .ok());
  auto r = conn().Query("SELECT i, d, b, s, ts, m FROM t ORDER BY i NULLS LAST");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->RowCount(), 2u);
  EXPECT_EQ(r->ColumnCount(), 6u);
  EXPECT_EQ(r->ColumnName(0), "i");
  EXPECT_EQ(r->ColumnName(5), "m");
  EXPECT_EQ(r->GetInt64(0, 0), -7);
  EXPECT_EQ(r->GetDouble(1, 0), 2.5);
  EXPECT_TRUE(r->GetBool(2, 0));
  EXPECT_EQ(r->GetString(3, 0), "héllo");
  EXPECT_EQ(r->GetOptionalString(3, 0), std::optional<std::string>("héllo"));
  EXPECT_EQ(r->GetTimestamp(4, 0), *ParseIso8601("2024-09-01T13:05:00.123456Z"));
  EXPECT_EQ(r->GetDecimal(5, 0), *Decimal::Parse("-12.000000000001"));
  for (uint64_t col = 0; col < 6; ++col) {
    EXPECT_FALSE(r->IsNull(col, 0));
    EXPECT_TRUE(r->IsNull(col, 1));
  }
  // NULL cells read as the type's zero.
  EXPECT_EQ(r->GetInt64(0, 1), 0);
  EXPECT_EQ(r->GetOptionalString(3, 1), std::nullopt);
  EXPECT_TRUE(r->GetDecimal(5, 1).IsZero());
}

TEST_F(MemoryDbTest, PreparedStatementBindsEveryType) {
  ASSERT_TRUE(
      conn()
          .Execute("CREATE TABLE t (i BIGINT, d DOUBLE, b BOOLEAN, s VARCHAR, o VARCHAR, ts TIMESTAMP, "
                   "m DECIMAL(38,12), n INTEGER)")
          .ok());
  auto stmt = conn().Prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  const Micros ts = *ParseIso8601("1999-12-31T23:59:59.999999Z");
  const Decimal money = *Decimal::Parse("12345678901234567890123456.123456789012");
  ASSERT_TRUE(stmt->BindInt64(1, std::numeric_limits<int64_t>::min()).ok());
  ASSERT_TRUE(stmt->BindDouble(2, -0.1).ok());
  ASSERT_TRUE(stmt->BindBool(3, false).ok());
  ASSERT_TRUE(stmt->BindString(4, std::string_view("it's \"quoted\"\n")).ok());
  ASSERT_TRUE(stmt->BindOptionalString(5, std::string("present")).ok());
  ASSERT_TRUE(stmt->BindTimestamp(6, ts).ok());
  ASSERT_TRUE(stmt->BindDecimal(7, money).ok());
  ASSERT_TRUE(stmt->BindNull(8).ok());
  auto inserted = stmt->Execute();
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(inserted->RowsChanged(), 1u);

  // The same statement again with other values, and an absent optional string.
  ASSERT_TRUE(stmt->ClearBindings().ok());
  ASSERT_TRUE(stmt->BindInt64(1, 2).ok());
  ASSERT_TRUE(stmt->BindDouble(2, std::numeric_limits<double>::infinity()).ok());
  ASSERT_TRUE(stmt->BindBool(3, true).ok());
  ASSERT_TRUE(stmt->BindString(4, "").ok());
  ASSERT_TRUE(stmt->BindOptionalString(5, std::nullopt).ok());
  ASSERT_TRUE(stmt->BindTimestamp(6, 0).ok());
  ASSERT_TRUE(stmt->BindDecimal(7, -money).ok());
  ASSERT_TRUE(stmt->BindNull(8).ok());
  ASSERT_TRUE(stmt->Execute().ok());

  auto r = conn().Query("SELECT * FROM t ORDER BY i");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->RowCount(), 2u);
  EXPECT_EQ(r->GetInt64(0, 0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r->GetDouble(1, 0), -0.1);
  EXPECT_FALSE(r->GetBool(2, 0));
  EXPECT_EQ(r->GetString(3, 0), "it's \"quoted\"\n");
  EXPECT_EQ(r->GetOptionalString(4, 0), std::optional<std::string>("present"));
  EXPECT_EQ(r->GetTimestamp(5, 0), ts);
  EXPECT_EQ(r->GetDecimal(6, 0), money);
  EXPECT_EQ(r->GetDecimal(6, 0).ToString(), "12345678901234567890123456.123456789012");
  EXPECT_TRUE(r->IsNull(7, 0));
  EXPECT_TRUE(std::isinf(r->GetDouble(1, 1)));
  EXPECT_EQ(r->GetString(3, 1), "");
  EXPECT_FALSE(r->IsNull(3, 1));
  EXPECT_TRUE(r->IsNull(4, 1));
  EXPECT_EQ(r->GetDecimal(6, 1), -money);
}

TEST_F(MemoryDbTest, RunBindsArgumentsByType) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE r (s VARCHAR, i BIGINT, d DOUBLE, b BOOLEAN, t TIMESTAMP, o VARCHAR, "
                             "n VARCHAR)").ok());
  std::string owned = "owned";
  ASSERT_TRUE(conn().Exec("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?)", owned, 7, 2.5, true,
                          Timestamp{86400LL * 1000000}, std::optional<std::string>("opt"), nullptr)
                  .ok());
  ASSERT_TRUE(conn().Exec("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?)", "literal", int64_t{-3}, -0.5, false,
                          std::optional<Timestamp>(), std::optional<std::string>(), "x")
                  .ok());
  auto rows = conn().Run("SELECT s, i, d, b, epoch_ms(t), o, n FROM r WHERE i = ? ORDER BY s", 7);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->RowCount(), 1u);
  EXPECT_EQ(rows->GetString(0, 0), "owned");
  EXPECT_EQ(rows->GetDouble(2, 0), 2.5);
  EXPECT_TRUE(rows->GetBool(3, 0));
  EXPECT_EQ(rows->GetInt64(4, 0), 86400000);
  EXPECT_EQ(rows->GetString(5, 0), "opt");
  EXPECT_TRUE(rows->IsNull(6, 0));
  EXPECT_EQ(Scalar("SELECT count(*) FROM r WHERE t IS NULL AND o IS NULL AND n = 'x' AND i = -3"), "1");
  // Too few arguments leaves a parameter unbound: an error, not a silent NULL.
  EXPECT_FALSE(conn().Exec("INSERT INTO r (s, i) VALUES (?, ?)", "only one").ok());
}

TEST_F(MemoryDbTest, DecimalRoundTripsExactlyAtTheExtremes) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE m (v DECIMAL(38,12))").ok());
  auto insert = conn().Prepare("INSERT INTO m VALUES ($1)");
  ASSERT_TRUE(insert.ok());
  const std::vector<Decimal> values = {Decimal::FromUnits(Decimal::kMaxUnits),
                                       Decimal::FromUnits(-Decimal::kMaxUnits),
                                       Decimal::FromUnits(1),
                                       Decimal::FromUnits(-1),
                                       Decimal(),
                                       *Decimal::Parse("0.1"),
                                       *Decimal::Parse("18446744073709551616"),
                                       *Decimal::Parse("-18446744073.709551616")};
  for (const Decimal& v : values) {
    ASSERT_TRUE(insert->BindDecimal(1, v).ok());
    ASSERT_TRUE(insert->Execute().ok()) << v.ToString();
  }
  auto select = conn().Prepare("SELECT v, v::VARCHAR FROM m WHERE v = ?");
  ASSERT_TRUE(select.ok());
  for (const Decimal& v : values) {
    ASSERT_TRUE(select->BindDecimal(1, v).ok());
    auto r = select->Execute();
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->RowCount(), 1u) << v.ToString();
    EXPECT_EQ(r->GetDecimal(0, 0), v);
    EXPECT_EQ(r->GetDecimal(0, 0).ToFixed(12), r->GetString(1, 0));  // DuckDB's own text agrees
  }
}

TEST_F(MemoryDbTest, AMillionTinyCostLinesSumExactly) {
  ASSERT_TRUE(
      conn()
          .Execute("CREATE TABLE lines AS SELECT 0.0000000001::DECIMAL(38,12) AS cost FROM range(1000000)")
          .ok());
  auto r = conn().Query("SELECT sum(cost), count(*) FROM lines");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetInt64(1, 0), 1000000);
  EXPECT_EQ(r->GetDecimal(0, 0), *Decimal::Parse("0.0001"));
  // The narrower DECIMAL(18,6) cannot even hold one line, which is why money is DECIMAL(38,12).
  EXPECT_EQ(Scalar("SELECT sum(cost::DECIMAL(18,6))::VARCHAR FROM lines"), "0.000000");
}

TEST_F(MemoryDbTest, GetDecimalRescalesOtherScales) {
  auto r = conn().Query(
      "SELECT 123.456789::DECIMAL(18,6), -12.34::DECIMAL(9,2), 7::DECIMAL(4,0), "
      "0.00000000000149::DECIMAL(38,14), 0.00000000000250::DECIMAL(38,14), "
      "-0.0000000000035::DECIMAL(38,13)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetDecimal(0, 0), *Decimal::Parse("123.456789"));
  EXPECT_EQ(r->GetDecimal(1, 0), *Decimal::Parse("-12.34"));
  EXPECT_EQ(r->GetDecimal(2, 0), *Decimal::Parse("7"));
  // More than 12 digits round half-to-even once (1.49 units -> 1, not 1.49 -> 1.5 -> 2).
  EXPECT_EQ(r->GetDecimal(3, 0).units(), 1);
  EXPECT_EQ(r->GetDecimal(4, 0).units(), 2);   // 2.50 -> 2
  EXPECT_EQ(r->GetDecimal(5, 0).units(), -4);  // -3.5 -> -4
}

TEST_F(MemoryDbTest, BindIndexOutOfRangeIsInvalidArgument) {
  auto stmt = conn().Prepare("SELECT ?::BIGINT");
  ASSERT_TRUE(stmt.ok());
  Status s = stmt->BindInt64(2, 1);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "cannot bind parameter 2");
  EXPECT_EQ(stmt->BindString(0, "x").code(), StatusCode::kInvalidArgument);
}

TEST_F(MemoryDbTest, AppenderRows) {
  ASSERT_TRUE(
      conn()
          .Execute("CREATE TABLE a (i BIGINT, d DOUBLE, b BOOLEAN, s VARCHAR, ts TIMESTAMP, n VARCHAR, "
                   "m DECIMAL(38,12))")
          .ok());
  {
    auto app = conn().MakeAppender("a");
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    for (int64_t i = 0; i < 10000; ++i) {
      app->AppendInt64(i);
      app->AppendDouble(i * 0.5);
      app->AppendBool(i % 2 == 0);
      app->AppendString("row " + std::to_string(i));
      app->AppendTimestamp(i * kMicrosPerSecond);
      app->AppendNull();
      app->AppendString("0.000000000001");  // DuckDB casts text into the DECIMAL column exactly
      ASSERT_TRUE(app->EndRow().ok());
    }
    ASSERT_TRUE(app->Flush().ok());
  }
  auto r = conn().Query(
      "SELECT count(*), sum(i), sum(d), count(*) FILTER (WHERE b), max(s), max(ts), "
      "count(n), sum(m) FROM a");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetInt64(0, 0), 10000);
  EXPECT_EQ(r->GetInt64(1, 0), 49995000);
  EXPECT_EQ(r->GetDouble(2, 0), 24997500.0);
  EXPECT_EQ(r->GetInt64(3, 0), 5000);
  EXPECT_EQ(r->GetString(4, 0), "row 9999");
  EXPECT_EQ(r->GetTimestamp(5, 0), 9999 * kMicrosPerSecond);
  EXPECT_EQ(r->GetInt64(6, 0), 0);
  EXPECT_EQ(r->GetDecimal(7, 0), *Decimal::Parse("0.00000001"));
}

TEST_F(MemoryDbTest, AppenderErrorsNameTheTable) {
  auto missing = conn().MakeAppender("no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no_such_table"), std::string::npos);

  ASSERT_TRUE(conn().Execute("CREATE TABLE k (id BIGINT PRIMARY KEY, v INTEGER)").ok());
  auto app = conn().MakeAppender("k");
  ASSERT_TRUE(app.ok());
  app->AppendInt64(1);
  app->AppendString("not a number");
  Status bad_value = app->EndRow();
  EXPECT_FALSE(bad_value.ok());
  EXPECT_NE(bad_value.message().find("appending to k"), std::string::npos) << bad_value.ToString();
}

TEST_F(MemoryDbTest, AppenderDuplicateKeyIsConflict) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE k (id BIGINT PRIMARY KEY)").ok());
  auto app = conn().MakeAppender("k");
  ASSERT_TRUE(app.ok());
  for (int i = 0; i < 2; ++i) {
    app->AppendInt64(5);
    ASSERT_TRUE(app->EndRow().ok());
  }
  Status s = app->Flush();
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
  EXPECT_NE(s.message().find("appending to k"), std::string::npos);
}

TEST_F(MemoryDbTest, AppenderNotNullViolationIsConflict) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE k (id BIGINT, v INTEGER NOT NULL)").ok());
  auto app = conn().MakeAppender("k");
  ASSERT_TRUE(app.ok());
  app->AppendInt64(1);
  app->AppendNull();
  ASSERT_TRUE(app->EndRow().ok());
  Status s = app->Flush();
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
}

TEST_F(MemoryDbTest, ConstraintViolationsAreConflict) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE u (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL UNIQUE)").ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO u VALUES (1, 'a')").ok());
  Status dup_key = conn().Execute("INSERT INTO u VALUES (1, 'b')");
  EXPECT_EQ(dup_key.code(), StatusCode::kConflict) << dup_key.ToString();
  EXPECT_NE(dup_key.message().find("Constraint Error"), std::string::npos);
  EXPECT_EQ(conn().Execute("INSERT INTO u VALUES (2, 'a')").code(), StatusCode::kConflict);
  EXPECT_EQ(conn().Execute("INSERT INTO u VALUES (3, NULL)").code(), StatusCode::kConflict);

  auto stmt = conn().Prepare("INSERT INTO u VALUES (?, ?)");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(stmt->BindInt64(1, 1).ok());
  ASSERT_TRUE(stmt->BindString(2, "c").ok());
  EXPECT_EQ(stmt->Execute().status().code(), StatusCode::kConflict);
  EXPECT_EQ(Scalar("SELECT count(*) FROM u"), "1");
}

TEST_F(MemoryDbTest, BadSqlIsInvalidArgument) {
  EXPECT_EQ(conn().Execute("SELEC 1").code(), StatusCode::kInvalidArgument);  // Parser Error
  EXPECT_EQ(conn().Query("SELECT nope FROM range(1)").status().code(),
            StatusCode::kInvalidArgument);  // Binder
  EXPECT_EQ(conn().Query("SELECT 'abc'::INTEGER").status().code(),
            StatusCode::kInvalidArgument);  // Conversion
  EXPECT_EQ(conn().Prepare("SELECT FROM WHERE").status().code(), StatusCode::kInvalidArgument);
  Status s = conn().Execute("SELEC 1");
  EXPECT_NE(s.message().find("Parser Error"), std::string::npos) << s.ToString();
}

TEST(StatusFromDuckDbErrorTest, Mapping) {
  EXPECT_EQ(StatusFromDuckDbError("Constraint Error: Duplicate key").code(), StatusCode::kConflict);
  EXPECT_EQ(StatusFromDuckDbError("Failed to append: PRIMARY KEY or UNIQUE constraint violation: duplicate key")
                .code(),
            StatusCode::kConflict);
  EXPECT_EQ(StatusFromDuckDbError("Failed to append: NOT NULL constraint failed: k.v").code(),
            StatusCode::kConflict);
  EXPECT_EQ(StatusFromDuckDbError("Parser Error: syntax error").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromDuckDbError("Binder Error: x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromDuckDbError("Conversion Error: x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromDuckDbError("Invalid Input Error: x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromDuckDbError("IO Error: disk full").code(), StatusCode::kInternal);
  EXPECT_EQ(StatusFromDuckDbError("IO Error: disk full").message(), "IO Error: disk full");
}

TEST_F(MemoryDbTest, TransactionsCommitAndRollBack) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(conn().Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (1), (2)").ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), "2");  // visible inside the transaction
  conn().Rollback();
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), "0");

  ASSERT_TRUE(conn().Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (3)").ok());
  ASSERT_TRUE(conn().Commit().ok());
  EXPECT_EQ(Scalar("SELECT sum(v) FROM t"), "3");

  // A failed statement aborts the transaction; rolling back restores a usable connection.
  ASSERT_TRUE(conn().Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (4)").ok());
  EXPECT_FALSE(conn().Execute("INSERT INTO t VALUES ('x')").ok());
  conn().Rollback();
  EXPECT_EQ(Scalar("SELECT sum(v) FROM t"), "3");

  conn().Rollback();  // no transaction open: harmless
  EXPECT_EQ(Scalar("SELECT 1"), "1");
}

TEST_F(MemoryDbTest, SecondConnectionSeesOnlyCommittedData) {
  ASSERT_TRUE(conn().Execute("CREATE TABLE t (v INTEGER)").ok());
  auto other = db_->Connect();
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(conn().Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (1)").ok());
  auto before = other->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->GetInt64(0, 0), 0);
  ASSERT_TRUE(conn().Commit().ok());
  auto after = other->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->GetInt64(0, 0), 1);
}

TEST_F(MemoryDbTest, MovesTransferOwnership) {
  auto r1 = conn().Query("SELECT 41 + 1");
  ASSERT_TRUE(r1.ok());
  QueryResult moved = std::move(r1).value();
  EXPECT_EQ(moved.GetInt64(0, 0), 42);
  QueryResult assigned = std::move(moved);
  auto r2 = conn().Query("SELECT 'x'");
  ASSERT_TRUE(r2.ok());
  assigned = std::move(r2).value();  // the old result is released, no leak or double free
  EXPECT_EQ(assigned.GetString(0, 0), "x");

  auto c2 = db_->Connect();
  ASSERT_TRUE(c2.ok());
  Connection c3 = std::move(c2).value();
  c3 = std::move(conn());
  EXPECT_TRUE(c3.Execute("SELECT 1").ok());
}

TEST_F(MemoryDbTest, EmptyResult) {
  auto r = conn().Query("SELECT * FROM range(0)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->RowCount(), 0u);
  EXPECT_EQ(r->ColumnCount(), 1u);
}

TEST(OnDiskDbTest, DataSurvivesReopen) {
  TempDir dir;
  const std::string path = dir.path() + "/mlcost.duckdb";
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->path(), path);
    auto conn = (*db)->Connect();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn->Execute("CREATE TABLE bills (cost DECIMAL(38,12)); "
                              "INSERT INTO bills VALUES (0.000000000001), (12345.678901234567)")
                    .ok());
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto conn = (*db)->Connect();
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query("SELECT sum(cost) FROM bills");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetDecimal(0, 0).ToString(), "12345.678901234568");
}

TEST(OnDiskDbTest, UnopenablePathIsInternalEvenIfItSaysLock) {
  TempDir dir;
  // A missing directory whose name contains "lock" must not be mistaken for a held lock.
  auto db = Database::Open(dir.path() + "/no/such/lockdir/db.duckdb");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kInternal) << db.status().ToString();
}

TEST(OnDiskDbTest, FileHeldByAnotherProcessIsConflict) {
  TempDir dir;
  const std::string path = dir.path() + "/held.duckdb";
  ASSERT_TRUE(Database::Open(path).ok());  // create it, then close it
  ChildProcess child([&](const ChildProcess::Ready& ready) {
    auto db = Database::Open(path);
    ready(db.ok());
    for (;;) pause();  // holds the file until killed
  });
  ASSERT_TRUE(child.WaitReady()) << "child could not open the database";
  auto second = Database::Open(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict) << second.status().ToString();
  EXPECT_NE(second.status().message().find(std::to_string(child.pid())), std::string::npos)
      << second.status().message();
  child.Kill();
  auto third = Database::Open(path);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

}  // namespace
}  // namespace mlcost::store
