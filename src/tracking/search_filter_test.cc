#include "tracking/search_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/migrations.h"

namespace mlcost::tracking {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Ids = std::vector<std::string>;

// Four runs in one in-memory database built by the real migrations. start_time / end_time in ms:
//   a: alpha     alice FINISHED 1000..5000  loss 0.5  acc 0.9  lr 0.01  "batch size" 32
//                tags mlflow.runName=alpha team=Vision my-key=x
//   b: beta      bob   RUNNING  2000..      loss NaN  acc 0.8  lr 0.1   team=nlp
//   c: gamma     alice FAILED   3000..4000  loss 1.5           lr 0.001 opt adam  team=VISION-2
//   d: Delta run carol FINISHED 3000..      (no metrics, params or tags)
class SearchFilterDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::make_unique<store::Connection>(std::move(conn).value());
    auto version = store::Migrate(*conn_, store::SchemaMigrations());
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    const Status seeded = conn_->Execute(R"sql(
      INSERT INTO experiments VALUES
        (1, 'Default', 's3://x/1', 'active', epoch_ms(1000), epoch_ms(5000)),
        (2, 'vision-exp', 's3://x/2', 'active', epoch_ms(2000), epoch_ms(2500)),
        (3, 'NLP exp', 's3://x/3', 'active', epoch_ms(3000), epoch_ms(3000)),
        (4, 'other', 's3://x/4', 'active', epoch_ms(3000), epoch_ms(3500));
      INSERT INTO experiment_tags VALUES (2, 'team', 'vision'), (2, 'cost center', '42'), (3, 'team', 'nlp');
      INSERT INTO runs VALUES
        ('a', 1, 'alpha', 'alice', 'FINISHED', epoch_ms(1000), epoch_ms(5000), 's3://b/a', 'active', NULL),
        ('b', 1, 'beta', 'bob', 'RUNNING', epoch_ms(2000), NULL, 's3://b/b', 'active', NULL),
        ('c', 1, 'gamma', 'alice', 'FAILED', epoch_ms(3000), epoch_ms(4000), 'gs://c', 'active', NULL),
        ('d', 1, 'Delta run', 'carol', 'FINISHED', epoch_ms(3000), NULL, 's3://b/d', 'active', NULL);
      INSERT INTO latest_metrics VALUES ('a', 'loss', 0.5, 1, 0), ('a', 'acc', 0.9, 1, 0),
        ('b', 'loss', 'NaN'::DOUBLE, 1, 0), ('b', 'acc', 0.8, 1, 0), ('c', 'loss', 1.5, 1, 0);
      INSERT INTO params VALUES ('a', 'lr', '0.01'), ('a', 'batch size', '32'), ('b', 'lr', '0.1'),
        ('c', 'lr', '0.001'), ('c', 'opt', 'adam');
      INSERT INTO tags VALUES ('a', 'mlflow.runName', 'alpha'), ('a', 'team', 'Vision'), ('a', 'my-key', 'x'),
        ('b', 'team', 'nlp'), ('c', 'team', 'VISION-2');
    )sql");
    ASSERT_TRUE(seeded.ok()) << seeded.ToString();
  }

  // Runs `SELECT <column> FROM <table> WHERE <where> ORDER BY <order>` with the fragments' params
  // bound in text order, and returns the first column.
  Result<Ids> Select(const std::string& select, const SqlFragment& where, const SqlFragment& order) {
    ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(select + " WHERE " + where.sql + " ORDER BY " + order.sql));
    uint64_t index = 1;
    for (const std::vector<SqlValue>* params : {&where.params, &order.params}) {
      for (const SqlValue& v : *params) {
        if (const auto* s = std::get_if<std::string>(&v)) RETURN_IF_ERROR(stmt.BindString(index, *s));
        if (const auto* d = std::get_if<double>(&v)) RETURN_IF_ERROR(stmt.BindDouble(index, *d));
        if (const auto* i = std::get_if<int64_t>(&v)) RETURN_IF_ERROR(stmt.BindInt64(index, *i));
        ++index;
      }
    }
    ASSIGN_OR_RETURN(auto rows, stmt.Execute());
    Ids out;
    for (uint64_t r = 0; r < rows.RowCount(); ++r) out.push_back(rows.GetString(0, r));
    return out;
  }

  // The ids of the runs matching `filter`, in `order_by` order (a failure is reported as "!<status>").
  Ids Runs(std::string_view filter, const std::vector<std::string>& order_by = {}) {
    auto where = CompileRunFilter(filter);
    if (!where.ok()) return {"!" + where.status().ToString()};
    auto order = CompileRunOrderBy(order_by);
    if (!order.ok()) return {"!" + order.status().ToString()};
    auto ids = Select("SELECT r.run_id FROM runs r", *where, *order);
    if (!ids.ok()) return {"!" + ids.status().ToString()};
    return *ids;
  }

  Ids Experiments(std::string_view filter, const std::vector<std::string>& order_by = {}) {
    auto where = CompileExperimentFilter(filter);
    if (!where.ok()) return {"!" + where.status().ToString()};
    auto order = CompileExperimentOrderBy(order_by);
    if (!order.ok()) return {"!" + order.status().ToString()};
    auto ids = Select("SELECT CAST(e.experiment_id AS VARCHAR) FROM experiments e", *where, *order);
    if (!ids.ok()) return {"!" + ids.status().ToString()};
    return *ids;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Connection> conn_;
};

struct FilterCase {
  std::string filter;
  Ids expected;  // in the default order: start_time DESC, then run_id
};

TEST_F(SearchFilterDbTest, RunFiltersSelectTheRightRuns) {
  const std::vector<FilterCase> cases = {
      {"", {"c", "d", "b", "a"}},
      {"   ", {"c", "d", "b", "a"}},
      // Metrics compare as doubles; NaN satisfies only != and a run without the metric nothing.
      {"metrics.loss < 1", {"a"}},
      {"metrics.loss != 0.5", {"c", "b"}},
      {"metrics.loss >= -1e3", {"c", "a"}},
      {"metrics.loss = 1.5", {"c"}},
      {"metric.acc > 0.85", {"a"}},
      {"metrics.acc <= .8", {"b"}},
      {"metrics.loss > 5E-1", {"c"}},
      {"metrics.missing != 1", {}},
      {"metrics.`loss` < +1", {"a"}},
      // Params and tags compare as strings, with LIKE case-sensitive and ILIKE not.
      {"params.lr = '0.1'", {"b"}},
      {"param.lr = \"0.01\"", {"a"}},
      {"parameters.lr LIKE '0.0%'", {"c", "a"}},
      {"params.opt != 'adam'", {}},
      {"params.opt != 'sgd'", {"c"}},
      {"params.\"batch size\" = '32'", {"a"}},
      {"params.`batch size` = '32'", {"a"}},
      {"tags.team LIKE 'VISION%'", {"c"}},
      {"tags.team ILIKE 'vision%'", {"c", "a"}},
      {"tag.team ilike '_LP'", {"b"}},
      {"tags.`my-key` = 'x'", {"a"}},
      {"tags.mlflow.runName = 'alpha'", {"a"}},
      {"tags.team = 'vision'", {}},
      // String attributes, bare or qualified, with IN / NOT IN lists.
      {"status = 'FINISHED'", {"d", "a"}},
      {"attributes.status != 'FINISHED'", {"c", "b"}},
      {"attr.status IN ('FAILED', 'RUNNING')", {"c", "b"}},
      {"status NOT IN ('FINISHED')", {"c", "b"}},
      {"run_id in ('a','d')", {"d", "a"}},
      {"run.run_id not in (\"a\", 'b', 'zz')", {"c", "d"}},
      {"attributes.run_name = 'beta'", {"b"}},
      {"run_name ILIKE 'delta%'", {"d"}},
      {"\"run name\" = 'gamma'", {"c"}},
      {"attributes.`Run Name` LIKE '%a'", {"c", "b", "a"}},
      {"user_id = 'alice'", {"c", "a"}},
      {"artifact_uri LIKE 's3://b/%'", {"d", "b", "a"}},
      // Numeric attributes are epoch milliseconds; a NULL end_time matches nothing.
      {"start_time >= 2000", {"c", "d", "b"}},
      {"created < 2000", {"a"}},
      {"attributes.Created = 3000", {"c", "d"}},
      {"attributes.end_time > 4500", {"a"}},
      {"end_time != 1", {"c", "a"}},
      {"start_time > 2500.5", {"c", "d"}},
      // AND in any case, several entity kinds at once.
      {"user_id = 'alice' AND metrics.loss > 1", {"c"}},
      {"params.lr LIKE '0.0%' and tags.team != 'nlp' And status = 'FINISHED'", {"a"}},
      {"  metrics.acc>0 AND params.lr='0.1'  ", {"b"}},
  };
  for (const FilterCase& c : cases) {
    EXPECT_EQ(Runs(c.filter), c.expected) << "filter: " << c.filter;
  }
}

TEST_F(SearchFilterDbTest, LiteralsAreBoundNotSpliced) {
  const std::string filter = "params.lr = 'x'' OR 1=1 --' AND tags.\"k'); DROP TABLE runs; --\" = 'v'";
  auto where = CompileRunFilter(filter);
  ASSERT_TRUE(where.ok()) << where.status().ToString();
  EXPECT_THAT(where->sql, Not(HasSubstr("OR 1=1")));
  EXPECT_THAT(where->sql, Not(HasSubstr("DROP")));
  EXPECT_THAT(where->params, ElementsAre(SqlValue("lr"), SqlValue("x' OR 1=1 --"),
                                         SqlValue("k'); DROP TABLE runs; --"), SqlValue("v")));
  EXPECT_THAT(Runs(filter), IsEmpty());
  EXPECT_THAT(Runs(""), ElementsAre("c", "d", "b", "a"));  // the table is still there
}

TEST_F(SearchFilterDbTest, QuotesInsideLiterals) {
  ASSERT_TRUE(conn_->Execute("INSERT INTO tags VALUES ('d', 'note', 'it''s \"done\"')").ok());
  EXPECT_THAT(Runs("tags.note = 'it''s \"done\"'"), ElementsAre("d"));
  EXPECT_THAT(Runs("tags.note = \"it's \"\"done\"\"\""), ElementsAre("d"));
  EXPECT_THAT(Runs("tags.note = 'it\\'s \"done\"'"), ElementsAre("d"));
  EXPECT_THAT(Runs("tags.note LIKE '%\"done\"'"), ElementsAre("d"));
}

TEST(SearchFilterTest, CompilesToParameterisedSql) {
  auto empty = CompileRunFilter("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->sql, "TRUE");
  EXPECT_THAT(empty->params, IsEmpty());

  auto metric = CompileRunFilter("metrics.loss < 1 AND start_time >= 1700000000000 AND created > 1.5");
  ASSERT_TRUE(metric.ok()) << metric.status().ToString();
  EXPECT_THAT(metric->params,
              ElementsAre(SqlValue("loss"), SqlValue(1.0), SqlValue(int64_t{1700000000000}), SqlValue(1.5)));
  EXPECT_EQ(std::count(metric->sql.begin(), metric->sql.end(), '?'), 4);
  EXPECT_THAT(metric->sql, HasSubstr("latest_metrics"));
  EXPECT_THAT(metric->sql, HasSubstr("epoch_ms(r.start_time) >= ?"));

  auto list = CompileRunFilter("status IN ('A', 'B', 'C')");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->sql, "(r.status IN (?, ?, ?))");
  EXPECT_THAT(list->params, ElementsAre(SqlValue("A"), SqlValue("B"), SqlValue("C")));
}

struct ErrorCase {
  std::string filter;
  std::string message;  // a substring of the InvalidArgument message
};

TEST(SearchFilterTest, BadRunFiltersAreInvalidArgumentWithAClearMessage) {
  const std::vector<ErrorCase> cases = {
      {"metrics.loss LIKE '%'", "Expected numeric value type for metric. Found '%'"},
      {"metrics.loss LIKE 1", "Invalid comparator 'LIKE' not one of"},
      {"metrics.loss == 1", "Invalid comparator '=='"},
      {"metrics.loss <> 1", "Invalid comparator '<>'"},
      {"metrics.loss > 'a'", "Expected numeric value type for metric"},
      {"params.lr > '1'", "Invalid comparator '>' not one of '['=', '!=', 'LIKE', 'ILIKE']'"},
      {"params.lr = 1", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1"},
      {"tags.t = 2", "Expected a quoted string value for tag"},
      {"params.lr = abc",
       "Parameter value is either not quoted or unidentified quote types used for string value abc"},
      {"params.lr IN ('a')", "Expected a quoted string value for parameter"},
      {"params.lr NOT IN 'a'", "Invalid comparator 'NOT IN'"},
      {"status > 1", "Expected a quoted string value for attributes. Got value 1"},
      {"status < 'x'", "Invalid comparator '<'"},
      {"status = ('a')", "cannot be used with a list"},
      {"status IN 'a'", "Expected a list of quoted strings"},
      {"start_time = 'x'", "Expected numeric value type for numeric attribute: start_time. Found 'x'"},
      {"created LIKE 1", "Invalid comparator 'LIKE'"},
      {"bogus.key = 'x'", "Invalid entity type 'bogus'. Valid values are"},
      {"Metrics.loss = 1", "Invalid entity type 'Metrics'"},
      {"datasets.name = 'x'", "dataset"},
      {"attributes.foo = 'x'", "Invalid attribute key 'foo' specified. Valid keys are"},
      {"lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage'"},
      {"metrics.loss < 1 OR metrics.acc > 1", "Invalid clause(s) in filter string: 'OR'"},
      {"metrics.loss < 1 OR metrics.acc > 1", "at column 18"},
      {"metrics.loss < 1 AND", "Expected 'Identifier' found end of input at column 21"},
      {"(metrics.loss < 1)", "Expected 'Identifier' found '(metrics.loss' at column 1"},
      {"'status' = 'x'", "Expected 'Identifier'"},
      {"metrics.loss", "Expected comparison found end of input"},
      {"metrics.val-loss < 1", "Expected comparison found '-loss'"},
      {"metrics.val-loss < 1", "metrics.`val-loss`"},
      {"metrics.loss <", "Expected value token found end of input"},
      {"metrics.loss < 1abc", "Expected value token found '1abc'"},
      {"metrics.loss < 1e999", "out of range"},
      {"params.lr = 'unterminated", "Unterminated quoted string (') at column 13"},
      {"tags.`key = 'x'", "Unterminated quoted string (`)"},
      {"metrics. = 1", "expected a key after 'metrics.'"},
      {"status IN ()", "expected a non-empty list of string values, but got empty list"},
      {"status IN ('a', 1)", "but got different type in list: '1)'"},
      {"status IN ('a' 'b')", "ill-formed list"},
      {"status IN ('a',", "but got different type in list: end of input"},
      {"status IN ('a'", "ill-formed list: end of input at column 15"},
      {"status NOT LIKE 'a'", "Expected IN after NOT"},
      {"metrics.loss < 1; DROP TABLE runs", "Invalid clause(s) in filter string: ';'"},
  };
  for (const ErrorCase& c : cases) {
    auto result = CompileRunFilter(c.filter);
    ASSERT_FALSE(result.ok()) << "filter: " << c.filter << " compiled to " << result->sql;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << c.filter;
    EXPECT_THAT(result.status().message(), HasSubstr(c.message)) << "filter: " << c.filter;
  }
}

TEST_F(SearchFilterDbTest, RunOrderBy) {
  // Missing values last in both directions; NaN after numbers but before missing ones.
  EXPECT_THAT(Runs("", {"metrics.loss ASC"}), ElementsAre("a", "c", "b", "d"));
  EXPECT_THAT(Runs("", {"metrics.loss DESC"}), ElementsAre("c", "a", "b", "d"));
  EXPECT_THAT(Runs("", {"metric.loss"}), ElementsAre("a", "c", "b", "d"));
  // Params sort as strings ("0.001" < "0.01" < "0.1"), byte order for tags ("VISION-2" < "Vision").
  EXPECT_THAT(Runs("", {"params.lr"}), ElementsAre("c", "a", "b", "d"));
  EXPECT_THAT(Runs("", {"params.lr desc"}), ElementsAre("b", "a", "c", "d"));
  EXPECT_THAT(Runs("", {"tags.`team` DESC"}), ElementsAre("b", "a", "c", "d"));
  EXPECT_THAT(Runs("", {"tags.\"team\" ASC"}), ElementsAre("c", "a", "b", "d"));
  // Attributes; run_id breaks the start_time tie between c and d.
  EXPECT_THAT(Runs("", {"attributes.start_time ASC"}), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(Runs("", {"created DESC"}), ElementsAre("c", "d", "b", "a"));
  EXPECT_THAT(Runs("", {"run_name"}), ElementsAre("d", "a", "b", "c"));
  EXPECT_THAT(Runs("", {"end_time DESC"}), ElementsAre("a", "c", "d", "b"));
  EXPECT_THAT(Runs("", {"end_time ASC"}), ElementsAre("c", "a", "d", "b"));
  // Several terms, keys with spaces, and a filter's params bound before the order's.
  EXPECT_THAT(Runs("", {"metrics.acc DESC", "params.lr"}), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(Runs("", {"params.`batch size` DESC", "status"}), ElementsAre("a", "c", "d", "b"));
  EXPECT_THAT(Runs("params.lr LIKE '0%'", {"metrics.loss DESC"}), ElementsAre("c", "a", "b"));
}

TEST(SearchFilterTest, RunOrderByTiebreakAndErrors) {
  auto order = CompileRunOrderBy({});
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->sql, "r.start_time DESC NULLS LAST, r.run_id ASC");
  order = CompileRunOrderBy({"start_time"});
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->sql, "r.start_time ASC NULLS LAST, r.run_id ASC");
  order = CompileRunOrderBy({"tags.`my key` DESC"});
  ASSERT_TRUE(order.ok());
  EXPECT_THAT(order->params, ElementsAre(SqlValue("my key")));

  const std::vector<ErrorCase> cases = {
      {"metrics.loss UP", "Invalid ordering key in order_by clause 'metrics.loss UP'."},
      {"metrics.loss ASC DESC", "Invalid order_by clause 'metrics.loss ASC DESC'. Could not be parsed."},
      {"", "Could not be parsed"},
      {"metrics.loss, params.lr", "Could not be parsed"},
      {"foo.bar", "Invalid entity type 'foo'"},
      {"attributes.bogus", "Invalid attribute key 'bogus'"},
      {"run name", "Invalid ordering key"},
  };
  for (const ErrorCase& c : cases) {
    auto result = CompileRunOrderBy({c.filter});
    ASSERT_FALSE(result.ok()) << c.filter;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr(c.message)) << c.filter;
  }
  auto duplicate = CompileRunOrderBy({"metrics.loss", "metric.loss DESC"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.status().message(), HasSubstr("`order_by` contains duplicate fields"));
  EXPECT_FALSE(CompileRunOrderBy({"start_time", "created DESC"}).ok());
  EXPECT_TRUE(CompileRunOrderBy({"metrics.x", "params.x", "tags.x"}).ok());
}

TEST_F(SearchFilterDbTest, ExperimentFilters) {
  // Default order: creation_time DESC, then experiment_id ASC (3 and 4 tie on creation_time).
  EXPECT_THAT(Experiments(""), ElementsAre("3", "4", "2", "1"));
  EXPECT_THAT(Experiments("name = 'Default'"), ElementsAre("1"));
  EXPECT_THAT(Experiments("attribute.name != 'Default'"), ElementsAre("3", "4", "2"));
  EXPECT_THAT(Experiments("name LIKE '%exp'"), ElementsAre("3", "2"));
  EXPECT_THAT(Experiments("name LIKE 'nlp%'"), IsEmpty());
  EXPECT_THAT(Experiments("name ILIKE 'nlp%'"), ElementsAre("3"));
  EXPECT_THAT(Experiments("tags.team = 'vision'"), ElementsAre("2"));
  EXPECT_THAT(Experiments("tag.team != 'vision'"), ElementsAre("3"));
  EXPECT_THAT(Experiments("tags.`cost center` = '42'"), ElementsAre("2"));
  EXPECT_THAT(Experiments("creation_time > 1500 AND last_update_time <= 2500"), ElementsAre("2"));
  EXPECT_THAT(Experiments("creation_time = 3000 and tags.team ILIKE 'NLP'"), ElementsAre("3"));
}

TEST_F(SearchFilterDbTest, ExperimentOrderBy) {
  // With an explicit order, MLflow's tiebreak is experiment_id DESC.
  EXPECT_THAT(Experiments("", {"creation_time DESC"}), ElementsAre("4", "3", "2", "1"));
  EXPECT_THAT(Experiments("", {"creation_time DESC", "experiment_id ASC"}), ElementsAre("3", "4", "2", "1"));
  EXPECT_THAT(Experiments("", {"name"}), ElementsAre("1", "3", "4", "2"));
  EXPECT_THAT(Experiments("", {"attribute.last_update_time DESC"}), ElementsAre("1", "4", "3", "2"));
  EXPECT_THAT(Experiments("", {"experiment_id"}), ElementsAre("1", "2", "3", "4"));
}

TEST(SearchFilterTest, BadExperimentSearchesAreInvalidArgument) {
  const std::vector<ErrorCase> filters = {
      {"metrics.x > 1", "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')"},
      {"attributes.name = 'x'", "Invalid entity type 'attributes'"},
      {"name IN ('a')", "Invalid comparator 'IN'"},
      {"name > 'a'", "Invalid comparator '>'"},
      {"name = 1", "Expected a quoted string value for attributes"},
      {"creation_time LIKE 1", "Invalid comparator 'LIKE'"},
      {"creation_time = 'x'", "Expected numeric value type for numeric attribute: creation_time"},
      {"owner = 'x'", "Invalid attribute key 'owner' specified"},
      {"experiment_id = '1'", "Invalid attribute key 'experiment_id'"},
      {"tags.team > 'a'", "Invalid comparator '>'"},
      {"name = 'a' OR name = 'b'", "Invalid clause(s)"},
  };
  for (const ErrorCase& c : filters) {
    auto result = CompileExperimentFilter(c.filter);
    ASSERT_FALSE(result.ok()) << c.filter;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr(c.message)) << c.filter;
  }
  auto tag_order = CompileExperimentOrderBy({"tags.team"});
  ASSERT_FALSE(tag_order.ok());
  EXPECT_THAT(tag_order.status().message(), HasSubstr("Invalid order_by entity: tag"));
  EXPECT_FALSE(CompileExperimentOrderBy({"owner DESC"}).ok());
  EXPECT_FALSE(CompileExperimentOrderBy({"name SIDEWAYS"}).ok());
}

}  // namespace
}  // namespace mlcost::tracking
