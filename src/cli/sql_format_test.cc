#include "cli/sql_format.h"

#include <gtest/gtest.h>

namespace mlcost::cli {
namespace {

using Json = nlohmann::json;

const Json kAnswer = Json::parse(R"j({
  "columns": [{"name": "service", "type": "VARCHAR"}, {"name": "cost", "type": "DECIMAL(38,12)"},
              {"name": "tags", "type": "MAP(VARCHAR, VARCHAR)"}],
  "rows": [["EC2, \"spot\"", "1.500000000000", {"team": "a"}], ["S3", null, null]],
  "row_count": 2, "truncated": false})j");

TEST(SqlFormatTest, TableAlignsAndShowsNull) {
  EXPECT_EQ(SqlTable(kAnswer),
            "service      cost            tags\n"
            "EC2, \"spot\"  1.500000000000  {\"team\":\"a\"}\n"
            "S3           NULL            NULL\n");
  EXPECT_EQ(SqlTable(Json::parse(R"({"columns": [{"name": "x", "type": "INTEGER"}], "rows": []})")),
            "x\n(no rows)\n");
}

TEST(SqlFormatTest, CsvQuotesWhatNeedsIt) {
  EXPECT_EQ(SqlCsv(kAnswer),
            "service,cost,tags\n"
            "\"EC2, \"\"spot\"\"\",1.500000000000,\"{\"\"team\"\":\"\"a\"\"}\"\n"
            "S3,,\n");
}

}  // namespace
}  // namespace mlcost::cli
