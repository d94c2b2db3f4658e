#include "quota/quota_store.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/database.h"
#include "store/migrations.h"

namespace mlcost::quota {
namespace {

class QuotaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(":memory:", store::DatabaseOptions{.threads = 1, .memory_limit = "512MB"});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<store::Connection>(std::move(*conn));
    auto migrated = store::Migrate(*conn_, store::SchemaMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }
  Quota Team(const std::string& name, const std::string& period) {
    return *ParseQuota({{"scope", "team"}, {"name", name}, {"period", period}, {"limit", "10.25"},
                        {"actions", {"block"}}},
                       QuotaParseContext{{"USD"}});
  }
  store::Connection& conn() { return *conn_; }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Connection> conn_;
  FakeClock clock_{*ParseIso8601("2026-06-01T00:00:00Z")};
};

TEST_F(QuotaStoreTest, CreateGetUpdateDeleteAreAudited) {
  Result<Quota> a = QuotaStore::Create(conn(), Team("vision", "month"), clock_.Now());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Result<Quota> got = QuotaStore::Get(conn(), a->quota_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->limit, *Decimal::Parse("10.25"));  // exact through DECIMAL(38,12)
  EXPECT_EQ(got->actions, std::vector<std::string>{"block"});
  EXPECT_EQ(got->thresholds.size(), 2u);

  clock_.Advance(1000000);
  Quota changed = *got;
  changed.limit = *Decimal::Parse("20");
  ASSERT_TRUE(QuotaStore::Update(conn(), changed, clock_.Now()).ok());
  EXPECT_EQ(QuotaStore::Get(conn(), a->quota_id)->limit, Decimal::FromInt(20));
  EXPECT_EQ(QuotaStore::Get(conn(), a->quota_id)->created_at, got->created_at);

  ASSERT_TRUE(QuotaStore::Delete(conn(), a->quota_id, clock_.Now()).ok());
  EXPECT_EQ(QuotaStore::Get(conn(), a->quota_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(QuotaStore::Delete(conn(), a->quota_id, clock_.Now()).code(), StatusCode::kNotFound);

  AuditFilter by_quota;
  by_quota.quota_id = a->quota_id;
  Result<std::vector<AuditEntry>> audit = QuotaStore::ListAudit(conn(), by_quota);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  ASSERT_EQ(audit->size(), 3u);  // newest first
  EXPECT_EQ((*audit)[0].action, kAuditDeleted);
  EXPECT_EQ((*audit)[1].action, kAuditUpdated);
  EXPECT_EQ((*audit)[2].action, kAuditCreated);
  EXPECT_EQ(*(*audit)[2].limit, *Decimal::Parse("10.25"));
  AuditFilter updates;
  updates.action = kAuditUpdated;
  auto only_updates = QuotaStore::ListAudit(conn(), updates);
  ASSERT_TRUE(only_updates.ok());
  EXPECT_EQ(only_updates->size(), 1u);
}

TEST_F(QuotaStoreTest, ConflictNamesTheExistingQuota) {
  Quota first = *QuotaStore::Create(conn(), Team("vision", "month"), clock_.Now());
  Result<Quota> dup = QuotaStore::Create(conn(), Team("vision", "month"), clock_.Now());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kConflict);
  EXPECT_NE(dup.status().message().find("quota " + std::to_string(first.quota_id)), std::string::npos)
      << dup.status().message();
  // Another period or team is no conflict; an update into a taken slot is.
  Quota week = *QuotaStore::Create(conn(), Team("vision", "week"), clock_.Now());
  ASSERT_TRUE(QuotaStore::Create(conn(), Team("nlp", "month"), clock_.Now()).ok());
  week.period = "month";
  EXPECT_EQ(QuotaStore::Update(conn(), week, clock_.Now()).status().code(), StatusCode::kConflict);
  EXPECT_EQ(QuotaStore::List(conn())->size(), 3u);
}

TEST_F(QuotaStoreTest, AlertsAreMarkedOncePerPeriod) {
  Quota q = *QuotaStore::Create(conn(), Team("vision", "month"), clock_.Now());
  const Micros june = *ParseIso8601("2026-06-01T00:00:00Z");
  const Micros july = *ParseIso8601("2026-07-01T00:00:00Z");
  EXPECT_FALSE(*QuotaStore::AlertSent(conn(), q.quota_id, june, "threshold:0.8"));
  ASSERT_TRUE(QuotaStore::MarkAlertSent(conn(), q.quota_id, june, "threshold:0.8", clock_.Now()).ok());
  ASSERT_TRUE(QuotaStore::MarkAlertSent(conn(), q.quota_id, june, "threshold:0.8", clock_.Now()).ok());
  EXPECT_TRUE(*QuotaStore::AlertSent(conn(), q.quota_id, june, "threshold:0.8"));
  EXPECT_FALSE(*QuotaStore::AlertSent(conn(), q.quota_id, june, "threshold:1"));
  EXPECT_FALSE(*QuotaStore::AlertSent(conn(), q.quota_id, july, "threshold:0.8"));
}

}  // namespace
}  // namespace mlcost::quota
