// FileLoader: maps one source file into its target table inside the caller's transaction, and
// reads back what was loaded.
#ifndef MLCOST_BILLING_FILE_LOADER_H_
#define MLCOST_BILLING_FILE_LOADER_H_

#include <cstdint>

#include "billing/ingest_report.h"
#include "billing/source_file.h"
#include "billing/source_format.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::billing {

// Inserts every record of `file` (read as `format`) with x_ingest_id = `ingest_id`. On a value that
// does not parse, returns InvalidArgument "PATH:LINE: column \"C\": \"V\" is not a decimal number"
// (up to five such lines); on any other read error, DuckDB's message prefixed with the path. The
// caller rolls back. Fills path, provider, source_cost_column, rows_read and unmapped_columns.
Result<FileReport> InsertFile(store::Connection& conn, const SourceFile& file, SourceFormat format, int64_t ingest_id);

// Fills the loaded rows' counts, totals, periods, accounts and currencies into `report`.
Status SummarizeFile(store::Connection& conn, int64_t ingest_id, FileReport& report);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_FILE_LOADER_H_
