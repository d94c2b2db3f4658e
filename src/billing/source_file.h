// SourceFile: one billing file on disk — how DuckDB reads it and what its header is.
#ifndef MLCOST_BILLING_SOURCE_FILE_H_
#define MLCOST_BILLING_SOURCE_FILE_H_

#include <string>
#include <vector>

#include "billing/header_index.h"
#include "mlcost/status.h"
#include "store/connection.h"

namespace mlcost::billing {

struct SourceFile {
  std::string path;    // absolute
  bool parquet = false;
  // A SELECT over the file whose columns are all VARCHAR (Parquet values are cast; MAP / STRUCT /
  // LIST columns become JSON text) plus `mlcost_line`: the line (CSV, counting the header as line 1)
  // or row (Parquet, from 1) each record came from.
  std::string select_sql;
  std::vector<std::string> columns;  // in file order
};

// The billing files named by `paths`: files as given, folders searched recursively for *.csv,
// *.csv.gz, *.gz, *.parquet (sorted by path). NotFound naming a missing path; InvalidArgument for
// a folder without billing files or a path that is neither file nor folder.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

// Reads the header of `path` (CSV: the first line, as written; Parquet: the schema) and builds the
// SELECT. InvalidArgument naming the file for an unreadable, empty or non-tabular file and for
// duplicate column names.
Result<SourceFile> OpenSourceFile(store::Connection& conn, const std::string& path);

}  // namespace mlcost::billing

#endif  // MLCOST_BILLING_SOURCE_FILE_H_
