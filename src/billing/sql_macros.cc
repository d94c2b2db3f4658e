#include "billing/sql_macros.h"

#include <string>

#include "billing/service_categories.h"

namespace mlcost::billing {
namespace {

// Parsing. A value is missing when NULL, blank or the literal string NULL (AWS and koku exports
// write "NULL"). mlcost_try_* return NULL for what they cannot parse; mlcost_money fails the
// statement instead, and the ingest then finds the line and column (file_loader.cc). Amounts
// written for people ("$50,000.00", as in the FOCUS spec's own examples) are read, and
// mlcost_repaired marks them so rule R16 reports them; anything else that is not a number fails.
//
// Fast paths (the ingest benchmark, docs/performance.md): each gives the same value as the plain
// definition it short-cuts, and is only taken where it applies.
// - mlcost_str: a value longer than 4 characters with no space at either end is neither blank nor
//   "NULL" once trimmed.
// - mlcost_strict_money: DuckDB's VARCHAR -> DECIMAL cast skips leading and trailing whitespace
//   (a superset of what trim() removes), so trim() is not needed, and blank or "NULL" text does not
//   cast; the cast into DECIMAL(18,12) (int64) is ~15x cheaper than into DECIMAL(38,12) (hugeint)
//   and rounds the same way; what does not fit falls back to DECIMAL(38,12).
// - mlcost_try_ts: text shaped exactly "YYYY-MM-DD?HH:MM:SS" has no room for a UTC offset, so the
//   plain TIMESTAMP cast (no ICU) equals the TIMESTAMPTZ cast in UTC; anything else, or a value
//   it does not parse, goes through mlcost_full_try_ts.
constexpr const char* kParsing = R"sql(
CREATE OR REPLACE TEMP MACRO mlcost_str(s) AS
  CASE WHEN s IS NULL THEN NULL
       WHEN strlen(s) > 4 AND NOT starts_with(s, ' ') AND NOT ends_with(s, ' ') THEN s
       WHEN trim(s) = '' OR upper(trim(s)) = 'NULL' THEN NULL ELSE s END;
CREATE OR REPLACE TEMP MACRO mlcost_strict_money(s) AS
  coalesce(TRY_CAST(s AS DECIMAL(18,12))::DECIMAL(38,12), TRY_CAST(s AS DECIMAL(38,12)));
CREATE OR REPLACE TEMP MACRO mlcost_lenient_money(s) AS
  CASE WHEN regexp_full_match(trim(s), '-?[$€£¥]?\s*-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|-?[$€£¥]\s*-?[0-9]+(\.[0-9]+)?')
       THEN TRY_CAST(regexp_replace(trim(s), '[$€£¥,\s]', '', 'g') AS DECIMAL(38,12)) END;
CREATE OR REPLACE TEMP MACRO mlcost_try_money(s) AS coalesce(mlcost_strict_money(s), mlcost_lenient_money(s));
CREATE OR REPLACE TEMP MACRO mlcost_money(s) AS
  coalesce(mlcost_strict_money(s),
           CASE WHEN mlcost_str(s) IS NULL THEN NULL::DECIMAL(38,12)
                ELSE coalesce(mlcost_lenient_money(s), error('mlcost: not a decimal number: ' || s)) END);
CREATE OR REPLACE TEMP MACRO mlcost_repaired(s) AS
  CASE WHEN mlcost_strict_money(s) IS NOT NULL THEN false ELSE mlcost_str(s) IS NOT NULL END;
CREATE OR REPLACE TEMP MACRO mlcost_full_try_ts(s) AS
  coalesce(TRY_CAST(trim(mlcost_str(s)) AS TIMESTAMPTZ)::TIMESTAMP,
           try_strptime(trim(mlcost_str(s)), ['%Y-%m-%dT%H:%MZ', '%Y-%m-%dT%H:%M', '%m/%d/%y', '%m/%d/%Y', '%m/%d/%Y %H:%M:%S',
                                              '%m/%d/%Y %H:%M', '%Y%m%d']));
CREATE OR REPLACE TEMP MACRO mlcost_try_ts(s) AS
  coalesce(CASE WHEN strlen(s) = 19 AND substr(s, 5, 1) = '-' AND substr(s, 8, 1) = '-' AND substr(s, 14, 1) = ':'
                     AND substr(s, 17, 1) = ':' THEN TRY_CAST(s AS TIMESTAMP) END,
           mlcost_full_try_ts(s));
)sql";

// Tags. FOCUS: a JSON object; Azure EA: the object without its braces; GCP CSV: a Python-repr list
// of {'key': k, 'value': v}. A value that is not such an object gives NULL tags, which the
// validation rules report (F011) — the cost line is still loaded. (Valid JSON that starts with
// '{' is an object: json_type, a second parse, is only asked for the rest.)
constexpr const char* kTags = R"sql(
CREATE OR REPLACE TEMP MACRO mlcost_json_tags(s) AS
  CASE WHEN mlcost_str(s) IS NULL THEN MAP {}::MAP(VARCHAR, VARCHAR)
       WHEN json_valid(s) AND (starts_with(s, '{') OR json_type(s::JSON) = 'OBJECT') THEN s::JSON::MAP(VARCHAR, VARCHAR)
       ELSE NULL::MAP(VARCHAR, VARCHAR) END;
CREATE OR REPLACE TEMP MACRO mlcost_prefixed_tags(m, p) AS
  map_from_entries(list_transform(map_entries(m), e -> {'k': p || e.key, 'v': e.value}))::MAP(VARCHAR, VARCHAR);
CREATE OR REPLACE TEMP MACRO mlcost_json_field(s, k) AS
  CASE WHEN mlcost_str(s) IS NOT NULL AND json_valid(s) THEN json_extract_string(s, '$.' || k) END;
CREATE OR REPLACE TEMP MACRO mlcost_azure_tags(s) AS
  mlcost_json_tags(CASE WHEN starts_with(trim(s), '{') THEN s ELSE '{' || s || '}' END);
CREATE OR REPLACE TEMP MACRO mlcost_pyjson(s) AS
  replace(replace(replace(replace(s, '''', '"'), ': None', ': null'), ': True', ': true'), ': False', ': false');
CREATE OR REPLACE TEMP MACRO mlcost_kv_tags(s) AS
  CASE WHEN mlcost_str(s) IS NULL OR trim(s) = '[]' THEN MAP {}::MAP(VARCHAR, VARCHAR)
       WHEN json_valid(mlcost_pyjson(s)) AND json_type(mlcost_pyjson(s)::JSON) = 'ARRAY' THEN
         map_from_entries(list_transform(
           json_transform(mlcost_pyjson(s), '[{"key":"VARCHAR","value":"VARCHAR"}]'),
           e -> {'k': e.key, 'v': e.value}))::MAP(VARCHAR, VARCHAR)
       ELSE NULL::MAP(VARCHAR, VARCHAR) END;
CREATE OR REPLACE TEMP MACRO mlcost_gcp_credits(s) AS
  CASE WHEN mlcost_str(s) IS NULL OR trim(s) = '[]' THEN 0::DECIMAL(38,12)
       ELSE coalesce(list_sum(list_transform(json_extract_string(mlcost_pyjson(s), '$[*].amount'),
                                             a -> mlcost_money(a))),
                     error('mlcost: credits are not a list of {name, amount}: ' || s)) END;
CREATE OR REPLACE TEMP MACRO mlcost_gcp_month(s) AS
  (strptime(s || '01', '%Y%m%d') AT TIME ZONE 'America/Los_Angeles') AT TIME ZONE 'UTC';
CREATE OR REPLACE TEMP MACRO mlcost_gcp_month_end(s) AS
  ((strptime(s || '01', '%Y%m%d') + INTERVAL 1 MONTH) AT TIME ZONE 'America/Los_Angeles') AT TIME ZONE 'UTC';
)sql";

std::string CategoryMacro(const char* name, const CategoryTable& table) {
  return std::string("CREATE OR REPLACE TEMP MACRO ") + name + "(s) AS CASE WHEN s IS NULL THEN NULL ELSE " +
         CategoryCaseSql(table, "s") + " END;\n";
}

}  // namespace

Status InstallIngestMacros(store::Connection& conn) {
  RETURN_IF_ERROR(conn.Execute("SET TimeZone = 'UTC'"));
  RETURN_IF_ERROR(conn.Execute(kParsing));
  RETURN_IF_ERROR(conn.Execute(kTags));
  std::string categories = CategoryMacro("mlcost_aws_category", AwsServiceCategories()) +
                           CategoryMacro("mlcost_azure_category", AzureServiceCategories()) +
                           CategoryMacro("mlcost_gcp_category", GcpServiceCategories()) +
                           CategoryMacro("mlcost_oci_category", OciServiceCategories());
  return conn.Execute(categories);
}

}  // namespace mlcost::billing
