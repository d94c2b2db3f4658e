#include "billing/file_loader.h"

#include "billing/mapping_sql.h"
#include "billing/mapping_table.h"

namespace mlcost::billing {
namespace {

// Finds the lines whose typed values do not parse; the strict INSERT has already failed.
Status DiagnoseParseFailure(store::Connection& conn, const SourceFile& file, const MappedSelect& select,
                            const Status& insert_error) {
  std::string where = file.path + ": ";
  if (select.typed_references.empty()) return InvalidArgument(where + std::string(insert_error.message()));
  std::string sql = "SELECT mlcost_line, bad[1] FROM (SELECT mlcost_line, " +
                    ParseFailureListSql(select.typed_references) + " AS bad FROM (" + file.select_sql +
                    ") src) WHERE len(bad) > 0 ORDER BY mlcost_line LIMIT 5";
  Result<store::QueryResult> bad = conn.Query(sql);
  if (!bad.ok() || bad->RowCount() == 0) return InvalidArgument(where + std::string(insert_error.message()));
  std::string message;
  for (uint64_t row = 0; row < bad->RowCount(); ++row) {
    std::string cell = bad->GetString(1, row);
    size_t sep = cell.find('\x1f');
    std::string column = cell.substr(0, sep);
    std::string value = sep == std::string::npos ? "" : cell.substr(sep + 1);
    bool is_time = false;
    for (const TypedReference& ref : select.typed_references) {
      if (ref.column == column) is_time = ref.kind == '@';
    }
    if (!message.empty()) message += "; ";
    message += file.path + ":" + std::to_string(bad->GetInt64(0, row)) + ": column \"" + column + "\": \"" + value +
               "\" is not " + (is_time ? "a date/time" : "a decimal number");
  }
  return InvalidArgument(message);
}

// The names of the columns whose value in this row was read leniently (rule R16), or NULL.
std::string RepairedColumnsSql(const std::vector<TypedReference>& refs) {
  if (refs.empty()) return "NULL";
  std::string parts;
  for (const TypedReference& ref : refs) {
    parts += ", CASE WHEN mlcost_repaired(" + QuoteIdentifier(ref.column) + ") THEN " + QuoteLiteral(ref.column) + " END";
  }
  return "nullif(concat_ws(','" + parts + "), '')";
}

// The first column of every row of `sql` (bound to the ingest and the file), as text.
Result<std::vector<std::string>> Strings(store::Connection& conn, const std::string& sql, int64_t ingest_id,
                                         const std::string& path) {
  ASSIGN_OR_RETURN(store::QueryResult rows, conn.Run(sql, ingest_id, path));
  std::vector<std::string> out;
  for (uint64_t r = 0; r < rows.RowCount(); ++r) out.push_back(rows.GetString(0, r));
  return out;
}

std::string CurrenciesSql(const std::string& table) {
  return "SELECT DISTINCT billing_currency FROM " + table +
         " WHERE x_ingest_id = ? AND x_source_file = ? AND billing_currency IS NOT NULL ORDER BY 1";
}

}  // namespace

Result<FileReport> InsertFile(store::Connection& conn, const SourceFile& file, SourceFormat format, int64_t ingest_id) {
  const FormatMapping& mapping = MappingFor(format);
  HeaderIndex header(file.columns);
  ASSIGN_OR_RETURN(MappedSelect select, BuildMappedSelect(mapping, header, /*strict=*/true));

  std::string columns, values;
  for (size_t i = 0; i < select.targets.size(); ++i) {
    columns += QuoteIdentifier(select.targets[i]) + ", ";
    values += select.expressions[i] + ", ";
  }
  std::string provenance, provenance_values;
  if (mapping.table == "costs") {
    provenance = "x_source_format, x_repaired, ";
    provenance_values = QuoteLiteral(FormatName(format)) + ", " + RepairedColumnsSql(select.typed_references) + ", ";
  }
  std::string sql = "INSERT INTO " + std::string(mapping.table) + " (" + columns + provenance +
                    "x_source_file, x_source_line, x_ingest_id) SELECT " + values + provenance_values +
                    QuoteLiteral(file.path) + ", mlcost_line, " + std::to_string(ingest_id) + " FROM (" +
                    file.select_sql + ") src";
  Result<store::QueryResult> inserted = conn.Query(sql);
  if (!inserted.ok()) {
    // DuckDB aborted the transaction: roll it back, diagnose outside it (the diagnosis only reads
    // the file), and open an empty one for the caller's rollback.
    Status error = inserted.status();
    (void)conn.Execute("ROLLBACK");
    Status diagnosis = DiagnoseParseFailure(conn, file, select, error);
    (void)conn.Execute("BEGIN TRANSACTION");  // leave the caller a transaction to roll back
    return diagnosis;
  }
  FileReport report;
  report.path = file.path;
  report.provider = std::string(FormatName(format));
  report.source_cost_column = std::string(mapping.cost_column);
  report.rows_read = static_cast<int64_t>(inserted->RowsChanged());
  report.unmapped_columns = select.unmapped;
  report.contract_commitments = mapping.table == "contract_commitments";
  return report;
}

Status SummarizeFile(store::Connection& conn, int64_t ingest_id, FileReport& report) {
  if (report.contract_commitments) {
    ASSIGN_OR_RETURN(store::QueryResult totals,
                     conn.Run("SELECT count(*), coalesce(sum(contract_commitment_cost), 0) FROM contract_commitments "
                              "WHERE x_ingest_id = ? AND x_source_file = ?",
                              ingest_id, report.path));
    report.rows_loaded = totals.GetInt64(0, 0);
    report.contract_commitment_cost = totals.GetDecimal(1, 0);
    ASSIGN_OR_RETURN(report.currencies, Strings(conn, CurrenciesSql("contract_commitments"), ingest_id, report.path));
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(store::QueryResult totals,
                   conn.Run("SELECT count(*), coalesce(sum(billed_cost), 0), coalesce(sum(effective_cost), 0), "
                            "coalesce(sum(list_cost), 0), count(DISTINCT billing_account_id) FROM costs "
                            "WHERE x_ingest_id = ? AND x_source_file = ?",
                            ingest_id, report.path));
  report.rows_loaded = totals.GetInt64(0, 0);
  report.billed_cost = totals.GetDecimal(1, 0);
  report.effective_cost = totals.GetDecimal(2, 0);
  report.list_cost = totals.GetDecimal(3, 0);
  report.account_count = totals.GetInt64(4, 0);
  ASSIGN_OR_RETURN(store::QueryResult periods,
                   conn.Run("SELECT DISTINCT billing_period_start, billing_period_end FROM costs WHERE x_ingest_id = ? "
                            "AND x_source_file = ? AND billing_period_start IS NOT NULL ORDER BY 1, 2 LIMIT 50",
                            ingest_id, report.path));
  for (uint64_t r = 0; r < periods.RowCount(); ++r) {
    report.billing_periods.push_back(
        {FormatIso8601(periods.GetTimestamp(0, r)),
         periods.IsNull(1, r) ? std::string() : FormatIso8601(periods.GetTimestamp(1, r))});
  }
  ASSIGN_OR_RETURN(report.accounts,
                   Strings(conn,
                           "SELECT DISTINCT billing_account_id FROM costs WHERE x_ingest_id = ? AND x_source_file = ? "
                           "AND billing_account_id IS NOT NULL ORDER BY 1 LIMIT " + std::to_string(kMaxListed),
                           ingest_id, report.path));
  ASSIGN_OR_RETURN(report.currencies, Strings(conn, CurrenciesSql("costs"), ingest_id, report.path));
  return Status::Ok();
}

}  // namespace mlcost::billing
