#include "sqlconsole/statement_guard.h"

#include <gtest/gtest.h>

#include "sqlconsole/sql_test_util.h"

namespace mlcost::sqlconsole {
namespace {

class StatementGuardTest : public MigratedDatabaseTest {
 protected:
  Status Check(const std::string& sql) { return CheckStatement(*conn_, sql); }
};

TEST_F(StatementGuardTest, AllowsReadOnlySelects) {
  for (const char* sql : {
           "SELECT 1",
           "select service_name, sum(billed_cost) from costs group by 1 order by 2 desc",
           "WITH t AS (SELECT * FROM run_summary) SELECT count(*) FROM t",
           "FROM costs LIMIT 3",
           "VALUES (1, 'a'), (2, 'b')",
           "SELECT * FROM main.runs r JOIN run_attempts a USING (run_id)",
           "SELECT x FROM range(10) t(x) UNION ALL SELECT 1",
           "SELECT * FROM unnest([1, 2, 3])",
           "SELECT key, value FROM run_metrics WHERE run_id IN (SELECT run_id FROM run_summary)",
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n",
           "SELECT sum(effective_cost) OVER (PARTITION BY region_id) FROM costs",
           "DESCRIBE costs",
           "SUMMARIZE SELECT * FROM metric_history",
           "SELECT tags['team'] FROM costs;",
           "-- a comment\nSELECT 1 /* another */",
       }) {
    Status s = Check(sql);
    EXPECT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }
}

TEST_F(StatementGuardTest, RefusesStatementsOtherThanSelectNamingThem) {
  struct Case {
    const char* sql;
    const char* names;
  };
  for (const Case& c : {Case{"DELETE FROM runs", "DELETE"},
                        Case{"insert into teams values ('x','',now())", "INSERT"},
                        Case{"UPDATE runs SET status = 'x'", "UPDATE"},
                        Case{"DROP TABLE costs", "DROP"},
                        Case{"CREATE TABLE x (a INT)", "CREATE"},
                        Case{"COPY costs TO '/tmp/x.csv'", "COPY"},
                        Case{"COPY costs FROM '/etc/passwd'", "COPY"},
                        Case{"ATTACH '/tmp/x.db' AS x", "ATTACH"},
                        Case{"DETACH x", "DETACH"},
                        Case{"SET threads = 1", "SET"},
                        Case{"RESET threads", "RESET"},
                        Case{"PRAGMA table_info('costs')", "PRAGMA"},
                        Case{"INSTALL httpfs", "INSTALL"},
                        Case{"LOAD httpfs", "LOAD"},
                        Case{"EXPORT DATABASE '/tmp/x'", "EXPORT"},
                        Case{"CHECKPOINT", "CHECKPOINT"},
                        Case{"CALL pragma_version()", "CALL"},
                        Case{"/* hi */ delete from runs", "DELETE"},
                        Case{"VACUUM", "VACUUM"},
                        Case{"BEGIN TRANSACTION", "BEGIN"},
                        Case{"CREATE SECRET s (TYPE s3)", "CREATE"}}) {
    Status s = Check(c.sql);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << c.sql << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.names), std::string::npos) << c.sql << ": " << s.message();
  }
}

TEST_F(StatementGuardTest, RefusesFileAndSettingFunctionsInsideSelects) {
  struct Case {
    const char* sql;
    const char* names;
  };
  for (const Case& c : {
           Case{"SELECT * FROM read_csv('/etc/passwd')", "read_csv"},
           Case{"SELECT * FROM read_csv_auto('/etc/passwd')", "read_csv_auto"},
           Case{"SELECT * FROM READ_PARQUET('/tmp/x.parquet')", "read_parquet"},
           Case{"SELECT * FROM read_json_auto('/tmp/x.json')", "read_json_auto"},
           Case{"SELECT * FROM read_text('/etc/passwd')", "read_text"},
           Case{"SELECT * FROM read_blob('/etc/passwd')", "read_blob"},
           Case{"SELECT * FROM glob('/etc/*')", "glob"},
           Case{"SELECT * FROM parquet_metadata('/tmp/x.parquet')", "parquet_metadata"},
           Case{"SELECT * FROM '/etc/passwd'", "/etc/passwd"},
           Case{"SELECT * FROM 'data.csv'", "data.csv"},
           Case{"SELECT * FROM duckdb_settings()", "duckdb_settings"},
           Case{"SELECT * FROM duckdb_secrets()", "duckdb_secrets"},
           Case{"SELECT current_setting('threads')", "current_setting"},
           Case{"SELECT getvariable('x')", "getvariable"},
           Case{"SELECT nextval('experiment_id_seq')", "nextval"},
           Case{"SELECT setseed(0.5)", "setseed"},
           Case{"SELECT * FROM query('DELETE FROM runs')", "query"},
           Case{"SELECT * FROM query_table('runs')", "query_table"},
           Case{"SELECT * FROM pragma_table_info('costs')", "pragma_table_info"},
           Case{"SELECT * FROM sniff_csv('/etc/passwd')", "sniff_csv"},
           Case{"SELECT 1 WHERE EXISTS (SELECT * FROM read_csv('/etc/passwd'))", "read_csv"},
           Case{"SELECT (SELECT count(*) FROM '/etc/passwd')", "/etc/passwd"},
           Case{"WITH t AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM t", "read_csv"},
           Case{"SELECT * FROM information_schema.tables", "information_schema"},
           Case{"SELECT * FROM system.main.runs", "system"},
           Case{"SELECT * FROM metric_points", "metric_points"},
           Case{"SELECT * FROM schema_migrations", "schema_migrations"},
           Case{"SHOW TABLES", "tables"},
           Case{"SELECT * FROM json_execute_serialized_sql('{}')", "json_execute_serialized_sql"},
       }) {
    Status s = Check(c.sql);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << c.sql << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.names), std::string::npos) << c.sql << ": " << s.message();
  }
}

// A CTE's name covers only its own query: an outer reference to the same name is a real table
// lookup (a replacement scan of a file, here), not the CTE.
TEST_F(StatementGuardTest, CteNamesAreScoped) {
  EXPECT_TRUE(Check("WITH \"x.csv\" AS (SELECT 1 AS a) SELECT * FROM \"x.csv\"").ok());
  Status s = Check("SELECT * FROM (WITH \"x.csv\" AS (SELECT 1 AS a) SELECT * FROM \"x.csv\"), \"x.csv\"");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
}

TEST_F(StatementGuardTest, SyntaxErrorsAndSeveralStatementsAreBadRequests) {
  Status s = Check("SELEC 1");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("syntax error"), std::string::npos) << s.message();
  s = Check("SELECT 1; DELETE FROM runs");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("2 statements"), std::string::npos) << s.message();
  EXPECT_EQ(Check("   ").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Check("-- nothing").code(), StatusCode::kInvalidArgument);
}

TEST(LeadingKeywordTest, SkipsCommentsAndParentheses) {
  EXPECT_EQ(LeadingKeyword("  delete from x"), "DELETE");
  EXPECT_EQ(LeadingKeyword("-- c\n/* d */ ((Copy x"), "COPY");
  EXPECT_EQ(LeadingKeyword("/* unterminated"), "");
  EXPECT_EQ(LeadingKeyword(""), "");
}

TEST(CheckSelectAstTest, UnknownTableRefKindsAreRefused) {
  nlohmann::json ast = {
      {"error", false},
      {"statements",
       {{{"node",
          {{"type", "SELECT_NODE"},
           {"from_table", {{"type", "COLUMN_DATA"}, {"alias", ""}, {"sample", nullptr}}}}}}}}};
  Status s = CheckSelectAst(ast);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("COLUMN_DATA"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace mlcost::sqlconsole
