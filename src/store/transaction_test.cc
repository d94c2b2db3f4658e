#include "store/transaction.h"

#include <gtest/gtest.h>

#include "store/database.h"

namespace mlcost::store {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::make_unique<Connection>(std::move(*conn));
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (v INTEGER)").ok());
  }
  int64_t Rows() {
    auto r = conn_->Run("SELECT count(*) FROM t");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->GetInt64(0, 0) : -1;
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(TransactionTest, CommitsWhatSucceeds) {
  Result<int> r = InTransaction(*conn_, [&]() -> Result<int> {
    RETURN_IF_ERROR(conn_->Exec("INSERT INTO t VALUES (1), (2)"));
    return 7;
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(Rows(), 2);
}

TEST_F(TransactionTest, RollsBackOnError) {
  Status s = InTransaction(*conn_, [&]() -> Status {
    RETURN_IF_ERROR(conn_->Exec("INSERT INTO t VALUES (1)"));
    return Conflict("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(Rows(), 0);
  // The connection is usable afterwards: no transaction is left open.
  EXPECT_TRUE(InTransaction(*conn_, [&] { return conn_->Exec("INSERT INTO t VALUES (3)"); }).ok());
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace mlcost::store
