// A migrated in-memory store with helpers to insert cost lines, for the explorer's tests.
#ifndef MLCOST_EXPLORER_EXPLORER_TEST_UTIL_H_
#define MLCOST_EXPLORER_EXPLORER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tracking/read_pool.h"

namespace mlcost::explorer {

struct TestLine {
  std::string start;  // ISO 8601 charge_period_start; the line lasts one hour
  std::string cost;   // billed_cost; effective_cost = cost / 2 exactly in the tests that use it
  std::map<std::string, std::string> tags;
  std::string service = "Compute";
  std::string resource_id = "";
  std::string currency = "USD";
  std::string sub_account = "acct-1";
  std::string effective = "";  // "" = same as cost
};

class ExplorerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(":memory:", store::DatabaseOptions{.threads = 2, .memory_limit = "1GB"});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<store::Connection>(std::move(*conn));
    ASSERT_TRUE(store::Migrate(*conn_, store::SchemaMigrations()).ok());
    pool_ = std::make_unique<tracking::ReadPool>(*db_);
  }
  void TearDown() override {
    pool_.reset();
    conn_.reset();
    db_.reset();
  }

  // Inserts one cost line; x_source_line numbers them from 1 in insertion order.
  void Add(const TestLine& l) {
    std::string keys = "[", values = "[";
    for (const auto& [k, v] : l.tags) {
      keys += (keys.size() > 1 ? ", '" : "'") + k + "'";
      values += (values.size() > 1 ? ", '" : "'") + v + "'";
    }
    keys += "]";
    values += "]";
    ++line_;
    Status s = conn_->Exec(
        "INSERT INTO costs (billed_cost, effective_cost, list_cost, contracted_cost, billing_currency, "
        "charge_period_start, charge_period_end, service_name, resource_id, resource_name, sub_account_id, tags, "
        "x_source_format, x_source_file, x_source_line, x_ingest_id) VALUES (?::DECIMAL(38,12), "
        "?::DECIMAL(38,12), ?::DECIMAL(38,12), ?::DECIMAL(38,12), ?, ?::TIMESTAMP, ?::TIMESTAMP + INTERVAL 1 HOUR, "
        "?, nullif(?, ''), nullif(?, ''), ?, " +
            (l.tags.empty() ? std::string("NULL") : "map(" + keys + ", " + values + ")") +
            ", 'test', 'test.csv', ?, 1)",
        l.cost, l.effective.empty() ? l.cost : l.effective, l.cost, l.cost, l.currency, l.start, l.start,
        l.service, l.resource_id, l.resource_id, l.sub_account, line_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Connection> conn_;
  std::unique_ptr<tracking::ReadPool> pool_;
  FakeClock clock_{1'700'000'000'000'000};
  int64_t line_ = 0;
};

}  // namespace mlcost::explorer

#endif  // MLCOST_EXPLORER_EXPLORER_TEST_UTIL_H_
